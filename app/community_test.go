package app_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
)

// TestForumAPIContract walks the contract of docs/api.md (Community): the
// forums a learner reads, a topic with a post and a nested reply, an edit,
// an accepted answer, following, and the statuses of the refusals.
func TestForumAPIContract(t *testing.T) {
	e := newForumEnv(t)
	learner, teacher := e.tokenFor(e.learner), e.tokenFor(e.teacher)
	forumID := e.courseForum(learner)

	res := e.api(http.MethodGet, "/api/v1/forums", learner, nil)
	wantStatus(t, res, http.StatusOK)
	var list struct{ Items []apiForum }
	decode(t, res, &list)
	scopes := map[string]int{}
	for _, f := range list.Items {
		scopes[f.Scope]++
		if f.Scope == "course" && (f.ID != forumID || *f.ScopeID != e.course.ID || f.Title != e.course.Title || f.Language != "es") {
			t.Errorf("course forum %+v", f)
		}
	}
	if scopes["network"] != 3 || scopes["course"] != 1 {
		t.Fatalf("forums %v", scopes)
	}

	q := e.newTopic(learner, forumID, map[string]any{"kind": "question", "title": "¿Cómo se calcula la pensión?", "body_markdown": "Necesito **ayuda**."})
	if q.Kind != "question" || q.Author == nil || q.Author.ID != e.learner.ID || q.PostsCount != 1 {
		t.Fatalf("topic %+v", q)
	}
	answer := e.newPost(teacher, q.ID, map[string]any{"body_markdown": "Así, @" + e.learner.Name + "."})
	reply := e.newPost(learner, q.ID, map[string]any{"body_markdown": "¡Gracias!", "parent_id": answer.ID})
	res = e.api(http.MethodPost, "/api/v1/topics/"+itoa(q.ID)+"/posts", learner, map[string]any{"body_markdown": "Más hondo", "parent_id": reply.ID})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var ae apiError
	decode(t, res, &ae)
	if ae.Error.Fields["parent_id"] == "" {
		t.Errorf("422 without a parent_id message: %s", res.body)
	}

	res = e.api(http.MethodPatch, "/api/v1/posts/"+itoa(answer.ID), learner, map[string]any{"body_markdown": "Not mine"})
	wantStatus(t, res, http.StatusForbidden)
	res = e.api(http.MethodPatch, "/api/v1/posts/"+itoa(answer.ID), teacher, map[string]any{"body_markdown": "Así se calcula."})
	wantStatus(t, res, http.StatusOK)

	res = e.api(http.MethodPost, "/api/v1/topics/"+itoa(q.ID)+"/accept", learner, map[string]any{"post_id": answer.ID})
	wantStatus(t, res, http.StatusOK)
	var got apiTopic
	decode(t, res, &got)
	if got.AcceptedPostID == nil || *got.AcceptedPostID != answer.ID || !got.Posts[1].Accepted {
		t.Fatalf("accepted %+v", got)
	}
	if len(got.Posts) != 2 || len(got.Posts[1].Replies) != 1 || got.Posts[1].Replies[0].ID != reply.ID {
		t.Fatalf("posts not nested one level: %+v", got.Posts)
	}

	for _, method := range []string{http.MethodPut, http.MethodDelete} {
		res = e.api(method, "/api/v1/topics/"+itoa(q.ID)+"/follow", teacher, nil)
		wantStatus(t, res, http.StatusNoContent)
	}

	res = e.api(http.MethodPost, "/api/v1/topics/"+itoa(q.ID)+"/lock", learner, nil)
	wantStatus(t, res, http.StatusForbidden)
	res = e.api(http.MethodPost, "/api/v1/topics/"+itoa(q.ID)+"/lock", teacher, map[string]string{"reason": "Resuelto"})
	wantStatus(t, res, http.StatusNoContent)
	res = e.api(http.MethodPost, "/api/v1/topics/"+itoa(q.ID)+"/posts", learner, map[string]any{"body_markdown": "¿Y ahora?"})
	wantStatus(t, res, http.StatusConflict)
	decode(t, res, &ae)
	if ae.Error.Code != "topic_locked" || ae.Error.Message == "" {
		t.Errorf("locked: %s", res.body)
	}
}

// TestOutsiderNeverReadsTheCourseForum: someone outside the course gets
// 404 for its forum, its topics and its posts, on pages and API alike.
func TestOutsiderNeverReadsTheCourseForum(t *testing.T) {
	e := newForumEnv(t)
	learner := e.tokenFor(e.learner)
	forumID := e.courseForum(learner)
	topic := e.newTopic(learner, forumID, map[string]any{"title": "Solo para el curso", "body_markdown": "Privado"})
	outsider := e.tokenFor(e.outsider)
	for _, path := range []string{"/api/v1/courses/" + itoa(e.course.ID) + "/forum", "/api/v1/forums/" + itoa(forumID) + "/topics", "/api/v1/topics/" + itoa(topic.ID)} {
		wantStatus(t, e.api(http.MethodGet, path, outsider, nil), http.StatusNotFound)
	}
	res := e.api(http.MethodGet, "/api/v1/forums", outsider, nil)
	if strings.Contains(res.body, e.course.Title) {
		t.Fatal("outsider's forum list names the course")
	}
	b := e.browserFor(e.outsider)
	for _, path := range []string{"/forums/" + itoa(forumID), "/topics/" + itoa(topic.ID), "/courses/" + e.course.Slug + "/forum"} {
		res := b.get(path)
		wantStatus(t, res, http.StatusNotFound)
		if strings.Contains(res.body, "Privado") || strings.Contains(res.body, "Solo para el curso") {
			t.Fatalf("%s leaks the topic", path)
		}
	}
}

// TestPostsRefuseScriptsAndTwoMegabytes: a script in a post is stripped
// from the page; a 2 MB post is refused with 413 and a translated
// message, and a 30,000-character one with 422; nothing is written.
func TestPostsRefuseScriptsAndTwoMegabytes(t *testing.T) {
	e := newForumEnv(t)
	learner := e.tokenFor(e.learner)
	forumID := e.courseForum(learner)
	topic := e.newTopic(learner, forumID, map[string]any{"title": "Scripts", "body_markdown": "Hola"})

	b := e.browserFor(e.learner)
	b.get("/topics/" + itoa(topic.ID))
	res := b.post("/topics/"+itoa(topic.ID)+"/posts", url.Values{"body_markdown": {`Mira <script>alert("xss")</script><img src=x onerror="alert(1)"> [clic](javascript:alert(2))`}})
	wantStatus(t, res, http.StatusSeeOther)
	page := b.get("/topics/" + itoa(topic.ID))
	wantStatus(t, page, http.StatusOK)
	for _, bad := range []string{`alert("xss")`, "onerror", "javascript:alert"} {
		if strings.Contains(page.body, bad) {
			t.Errorf("topic page keeps %q", bad)
		}
	}

	big := strings.Repeat("a", 2<<20)
	res = e.api(http.MethodPost, "/api/v1/topics/"+itoa(topic.ID)+"/posts", learner, map[string]any{"body_markdown": big}, "Accept-Language", "es")
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	var ae apiError
	decode(t, res, &ae)
	if ae.Error.Message == "" || ae.Error.Code != "too_large" {
		t.Errorf("413 body %s", res.body)
	}
	res = e.api(http.MethodPost, "/api/v1/topics/"+itoa(topic.ID)+"/posts", learner, map[string]any{"body_markdown": strings.Repeat("é", 30000)}, "Accept-Language", "pt-PT")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	decode(t, res, &ae)
	if !strings.Contains(ae.Error.Fields["body_markdown"], "20 000") {
		t.Errorf("422 in pt-PT: %s", res.body)
	}
	// The page form says so next to the field, keeping what was typed.
	res = b.post("/topics/"+itoa(topic.ID)+"/posts", url.Values{"body_markdown": {strings.Repeat("b", 20001)}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "20,000") || !strings.Contains(res.body, strings.Repeat("b", 20001)) {
		t.Error("the page does not show the error with the text kept")
	}
	res = e.api(http.MethodGet, "/api/v1/topics/"+itoa(topic.ID), learner, nil)
	var got apiTopic
	decode(t, res, &got)
	if got.PostsCount != 2 {
		t.Fatalf("posts_count %d, want 2 (the refused posts left nothing)", got.PostsCount)
	}
}

// TestMentionOfAnOutsiderTellsNothing: "@name" of someone who cannot read
// the forum sends no notification, and the page shows the text as typed,
// with nothing that says whether that person exists.
func TestMentionOfAnOutsiderTellsNothing(t *testing.T) {
	e := newForumEnv(t)
	learner := e.tokenFor(e.learner)
	forumID := e.courseForum(learner)
	topic := e.newTopic(learner, forumID, map[string]any{"title": "Menciones", "body_markdown": "Hola"})
	p := e.newPost(learner, topic.ID, map[string]any{"body_markdown": "¿Qué opinan @" + e.outsider.Name + " y @" + e.teacher.Name + "?"})
	if e.sent.to(e.outsider.ID) != 0 {
		t.Fatal("the outsider was notified")
	}
	if e.sent.to(e.teacher.ID) != 1 {
		t.Fatalf("the teacher got %d notifications, want the mention", e.sent.to(e.teacher.ID))
	}
	nobody := e.newPost(learner, topic.ID, map[string]any{"body_markdown": "¿Y @Nadie Conocido?"})
	if strings.Count(p.BodyHTML, "@") != 2 || !strings.Contains(nobody.BodyHTML, "@Nadie Conocido") {
		t.Fatalf("mentions rendered differently: %s / %s", p.BodyHTML, nobody.BodyHTML)
	}
}

// TestConsultationOverHTTP: staff only; 50 concurrent first answers from
// one member store exactly one (the rest 409); an answer after the
// closing date is 422; the synthesis is 422 before it; the CSV is sorted
// by country and institution.
func TestConsultationOverHTTP(t *testing.T) {
	e := newForumEnv(t)
	learner, teacher := e.tokenFor(e.learner), e.tokenFor(e.teacher)
	forumID := e.courseForum(learner)
	closes := e.clock.Now().Add(48 * time.Hour)
	body := map[string]any{"kind": "consultation", "title": "¿Qué opinan?", "body_markdown": "Nos gustaría conocer su opinión.",
		"closes_at": closes, "options": []string{"De acuerdo", "En desacuerdo"}}
	res := e.api(http.MethodPost, "/api/v1/forums/"+itoa(forumID)+"/topics", learner, body)
	wantStatus(t, res, http.StatusForbidden)
	c := e.newTopic(teacher, forumID, body)
	if c.ClosesAt == nil || !c.ClosesAt.Equal(closes) || len(c.Options) != 2 {
		t.Fatalf("consultation %+v", c)
	}

	const n = 50
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest(http.MethodPost, "/api/v1/topics/"+itoa(c.ID)+"/posts",
				strings.NewReader(fmt.Sprintf(`{"body_markdown":"Mi opinión %d","option_id":%d}`, i, c.Options[0].ID)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+learner)
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.201.0.%d", i))
			<-start
			res, err := e.app.Test(req, -1)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			statuses[i] = res.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[http.StatusCreated] != 1 || count[http.StatusConflict] != n-1 {
		t.Fatalf("statuses %v, want one 201 and %d 409", count, n-1)
	}

	res = e.api(http.MethodPost, "/api/v1/topics/"+itoa(c.ID)+"/synthesis", teacher, map[string]string{"body_markdown": "Pronto"})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	e.clock.Advance(49 * time.Hour)
	late := e.user(accounts.RoleLearner)
	(&coursesEnv{env: e.env, courses: e.courses}).enrol(late, e.course.ID)
	res = e.api(http.MethodPost, "/api/v1/topics/"+itoa(c.ID)+"/posts", e.tokenFor(late), map[string]any{"body_markdown": "Tarde"})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var ae apiError
	decode(t, res, &ae)
	if ae.Error.Code != "consultation_closed" {
		t.Errorf("late answer: %s", res.body)
	}
	res = e.api(http.MethodPost, "/api/v1/topics/"+itoa(c.ID)+"/synthesis", learner, map[string]string{"body_markdown": "Mía"})
	wantStatus(t, res, http.StatusForbidden)
	res = e.api(http.MethodPost, "/api/v1/topics/"+itoa(c.ID)+"/synthesis", teacher, map[string]string{"body_markdown": "La mayoría está de acuerdo."})
	wantStatus(t, res, http.StatusOK)

	res = e.api(http.MethodGet, "/api/v1/topics/"+itoa(c.ID)+"/answers.csv", learner, nil)
	wantStatus(t, res, http.StatusForbidden)
	res = e.api(http.MethodGet, "/api/v1/topics/"+itoa(c.ID)+"/answers.csv", teacher, nil, "Accept-Language", "es")
	wantStatus(t, res, http.StatusOK)
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix([]byte(res.body), []byte("\uFEFF"))))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0][0] != "País" || recs[1][2] != e.learner.Name || recs[1][3] != "De acuerdo" {
		t.Fatalf("CSV %q", recs)
	}
}

// TestHiddenPostOverHTTP: others see "hidden by a moderator" and nothing
// of it; moderators see it in full.
func TestHiddenPostOverHTTP(t *testing.T) {
	e := newForumEnv(t)
	learner, teacher := e.tokenFor(e.learner), e.tokenFor(e.teacher)
	forumID := e.courseForum(learner)
	topic := e.newTopic(learner, forumID, map[string]any{"title": "Moderación", "body_markdown": "Hola"})
	p := e.newPost(learner, topic.ID, map[string]any{"body_markdown": "Insulto grave"})
	wantStatus(t, e.api(http.MethodPost, "/api/v1/posts/"+itoa(p.ID)+"/report", e.tokenFor(e.teacher), map[string]string{"reason": "Ofensivo"}), http.StatusCreated)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/posts/"+itoa(p.ID)+"/hide", learner, nil), http.StatusForbidden)
	wantStatus(t, e.api(http.MethodPost, "/api/v1/posts/"+itoa(p.ID)+"/hide", teacher, map[string]string{"reason": "Insulto"}), http.StatusNoContent)

	other := e.user(accounts.RoleLearner)
	(&coursesEnv{env: e.env, courses: e.courses}).enrol(other, e.course.ID)
	res := e.api(http.MethodGet, "/api/v1/topics/"+itoa(topic.ID), e.tokenFor(other), nil)
	if strings.Contains(res.body, "Insulto grave") || !strings.Contains(res.body, `"hidden":true`) {
		t.Fatalf("reader sees: %s", res.body)
	}
	page := e.browserFor(other).get("/topics/" + itoa(topic.ID))
	if strings.Contains(page.body, "Insulto grave") || !strings.Contains(page.body, "Hidden by a moderator") {
		t.Fatal("the page does not show the post as hidden")
	}
	res = e.api(http.MethodGet, "/api/v1/topics/"+itoa(topic.ID), teacher, nil)
	if !strings.Contains(res.body, "Insulto grave") {
		t.Fatal("the moderator does not see the hidden post")
	}
	wantStatus(t, e.api(http.MethodPost, "/api/v1/posts/"+itoa(p.ID)+"/restore", teacher, nil), http.StatusNoContent)
	res = e.api(http.MethodGet, "/api/v1/forums/"+itoa(forumID)+"/moderation", teacher, nil)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, `"reason":"Insulto"`) || !strings.Contains(res.body, `"action":"restore"`) {
		t.Fatalf("log: %s", res.body)
	}
	mod := e.browserFor(e.teacher)
	mod.speak("es")
	page = mod.get("/forums/" + itoa(forumID) + "/moderation")
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, "ocultó un mensaje") || !strings.Contains(page.body, "Insulto") || !strings.Contains(page.body, e.teacher.Name) {
		t.Fatal("the moderation page does not show who hid what and why")
	}
}

// TestForumPagesAsAPersonUsesThem: the header links to the network
// forum in the reader's language; a topic opened from the page shows up
// unread for another member until they open it.
func TestForumPagesAsAPersonUsesThem(t *testing.T) {
	e := newForumEnv(t)
	b := e.browserFor(e.learner)
	b.speak("pt-PT")
	home := b.get("/forums")
	wantStatus(t, home, http.StatusOK)
	if !strings.Contains(home.body, `href="/forums/network"`) || !strings.Contains(home.body, e.course.Title) {
		t.Fatal("forums page lacks the header link or the course forum")
	}
	res := b.get("/forums/network")
	wantStatus(t, res, http.StatusSeeOther)
	forum := res.Header.Get("Location")
	page := b.get(forum)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, "Fórum da rede") {
		t.Fatal("a pt-PT reader is not sent to the Portuguese forum")
	}
	res = b.post(forum+"/topics", url.Values{"kind": {"discussion"}, "title": {"Conceição e a previdência"}, "body_markdown": {"Olá a todos."}})
	wantStatus(t, res, http.StatusSeeOther)
	topicURL := res.Header.Get("Location")

	other := e.browserFor(e.teacher)
	list := other.get(forum + "?q=conceicao")
	if !strings.Contains(list.body, "Conceição e a previdência") || !strings.Contains(list.body, `class="unread"`) {
		t.Fatal("the new topic is not found without accents, or not marked unread")
	}
	other.get(topicURL)
	list = other.get(forum + "?q=conceicao")
	if strings.Contains(list.body, `class="unread"`) {
		t.Fatal("still unread after reading")
	}
	res = b.post(forum+"/topics", url.Values{"kind": {"discussion"}, "title": {""}, "body_markdown": {"Sem título"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "Sem título") || !strings.Contains(res.body, "Indique um título") {
		t.Fatal("the refused form does not keep the text or say why in pt-PT")
	}
}

// TestAttachmentsAreCheckedAsCourseFiles: an image or a PDF is attached
// and served to the forum's readers; an HTML page named .png is refused
// by its content; an outsider gets 404 for the file.
func TestAttachmentsAreCheckedAsCourseFiles(t *testing.T) {
	e := newForumEnv(t)
	learner := e.tokenFor(e.learner)
	forumID := e.courseForum(learner)
	topic := e.newTopic(learner, forumID, map[string]any{"title": "Fotos", "body_markdown": "Mirad"})
	p := e.newPost(learner, topic.ID, map[string]any{"body_markdown": "La foto"})

	res := e.apiUpload("/api/v1/posts/"+itoa(p.ID)+"/attachments", learner, "foto.png", []byte("<!doctype html><script>alert(1)</script>"))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var ae apiError
	decode(t, res, &ae)
	if ae.Error.Code != "file_type" {
		t.Fatalf("HTML as PNG: %s", res.body)
	}
	res = e.apiUpload("/api/v1/posts/"+itoa(p.ID)+"/attachments", e.tokenFor(e.teacher), "otra.png", pngImage(t))
	wantStatus(t, res, http.StatusForbidden) // not the post's author
	res = e.apiUpload("/api/v1/posts/"+itoa(p.ID)+"/attachments", learner, "Conceição.png", pngImage(t))
	wantStatus(t, res, http.StatusCreated)
	var a struct {
		URL         string `json:"url"`
		ContentType string `json:"content_type"`
		FileName    string `json:"file_name"`
	}
	decode(t, res, &a)
	if a.ContentType != "image/png" || a.FileName != "Conceição.png" {
		t.Fatalf("attachment %+v", a)
	}
	got := e.browserFor(e.teacher).get(a.URL)
	wantStatus(t, got, http.StatusOK)
	if got.Header.Get("Content-Type") != "image/png" || got.body != string(pngImage(t)) {
		t.Fatalf("served %q", got.Header.Get("Content-Type"))
	}
	wantStatus(t, e.browserFor(e.outsider).get(a.URL), http.StatusNotFound)
}
