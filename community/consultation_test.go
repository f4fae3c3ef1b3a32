package community_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/community"
	"github.com/aula-platform/aula/courses"
)

func (w *world) consultation(author courses.Actor, forumID int64, closesIn time.Duration, options ...string) *community.Topic {
	w.t.Helper()
	closes := w.clock.now().Add(closesIn)
	return w.topic(author, forumID, community.TopicParams{Kind: community.KindConsultation,
		Title: "¿Qué opinan de estas preguntas?", Body: "Nos gustaría conocer su opinión.", ClosesAt: &closes, Options: options})
}

// TestConsultationRules: staff ask, with a closing date in the future and
// none or 2+ distinct options; each member answers once and edits until
// it closes; afterwards answers are read-only (422) and the author, only,
// publishes the synthesis.
func TestConsultationRules(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	admin := w.person(accounts.RoleAdmin, "")
	member := w.person(accounts.RoleLearner, "")
	f := w.network(admin, "es")

	past := w.clock.now().Add(-time.Hour)
	future := w.clock.now().Add(time.Hour)
	for name, p := range map[string]community.TopicParams{
		"closing date past":  {Kind: community.KindConsultation, ClosesAt: &past},
		"no closing date":    {Kind: community.KindConsultation},
		"one option":         {Kind: community.KindConsultation, ClosesAt: &future, Options: []string{"Sí"}},
		"twice an option":    {Kind: community.KindConsultation, ClosesAt: &future, Options: []string{"Sí", " Sí "}},
		"date on a question": {Kind: community.KindQuestion, ClosesAt: &future},
	} {
		p.Title, p.Body = "Consulta", "Texto"
		if _, err := w.com.CreateTopic(ctx, admin, f.Forum.ID, p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	_, err := w.com.CreateTopic(ctx, member, f.Forum.ID, community.TopicParams{Kind: community.KindConsultation, Title: "x", Body: "y", ClosesAt: &future})
	wantErr(t, err, community.ErrForbidden)

	c := w.consultation(admin, f.Forum.ID, 24*time.Hour, "Sí", "No")
	d, err := w.com.Topic(ctx, member, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	yes, no := d.Options[0].ID, d.Options[1].ID
	answer, err := w.com.CreatePost(ctx, member, c.ID, community.PostParams{Body: "Estoy de acuerdo.", OptionID: &yes})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.com.CreatePost(ctx, member, c.ID, community.PostParams{Body: "Otra vez."})
	wantErr(t, err, community.ErrAlreadyAnswered)
	_, err = w.com.CreatePost(ctx, admin, c.ID, community.PostParams{Body: "Réplica", ParentID: &answer.ID})
	wantErr(t, err, community.ErrInvalidParent)
	bogus := int64(1 << 40)
	_, err = w.com.CreatePost(ctx, w.person(accounts.RoleLearner, ""), c.ID, community.PostParams{Body: "x", OptionID: &bogus})
	wantErr(t, err, community.ErrInvalidOption)
	if _, err := w.com.EditPost(ctx, member, answer.ID, community.EditParams{Body: "Lo pensé mejor.", OptionID: &no, SetOption: true}); err != nil {
		t.Fatal(err)
	}
	_, err = w.com.Synthesis(ctx, admin, c.ID, "Resumen")
	wantErr(t, err, community.ErrNotClosed)

	w.clock.add(25 * time.Hour)
	_, err = w.com.CreatePost(ctx, w.person(accounts.RoleLearner, ""), c.ID, community.PostParams{Body: "Tarde"})
	wantErr(t, err, community.ErrClosed)
	_, err = w.com.EditPost(ctx, member, answer.ID, community.EditParams{Body: "Cambio"})
	wantErr(t, err, community.ErrClosed)
	_, err = w.com.Synthesis(ctx, w.person(accounts.RoleAdmin, ""), c.ID, "Resumen ajeno")
	wantErr(t, err, community.ErrForbidden)
	if _, err := w.com.Synthesis(ctx, admin, c.ID, "**Síntesis**: la mayoría dijo que no."); err != nil {
		t.Fatal(err)
	}
	d, err = w.com.Topic(ctx, member, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Closed || d.Topic.SynthesisHTML == nil || !strings.Contains(*d.Topic.SynthesisHTML, "<strong>Síntesis</strong>") {
		t.Fatalf("synthesis: %+v", d.Topic)
	}
	if d.Options[0].Answers != 0 || d.Options[1].Answers != 1 || d.MyAnswer == nil || d.MyAnswer.ID != answer.ID {
		t.Fatalf("counts %+v, my answer %+v", d.Options, d.MyAnswer)
	}
}

// TestFiftyConcurrentFirstAnswers: one member sends 50 first answers at
// once; exactly one is stored, the others are told they already answered.
func TestFiftyConcurrentFirstAnswers(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	admin := w.person(accounts.RoleAdmin, "")
	member := w.person(accounts.RoleLearner, "")
	c := w.consultation(admin, w.network(admin, "pt").Forum.ID, time.Hour)

	const n = 50
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = w.com.CreatePost(ctx, member, c.ID, community.PostParams{Body: "Minha opinião"})
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, community.ErrAlreadyAnswered):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d answers stored, want exactly 1", ok)
	}
	d, err := w.com.Topic(ctx, admin, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Posts) != 2 || d.Topic.PostsCount != 2 {
		t.Fatalf("%d posts, posts_count %d: want the question and one answer", len(d.Posts), d.Topic.PostsCount)
	}
}

// TestAnswersCSVByCountryAndInstitution: the export is sorted by country,
// then institution, then name, keeps accents, and defuses formulas.
func TestAnswersCSVByCountryAndInstitution(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	st := accounts.NewStore(w.db)
	inst := func(name, acronym, country string) *int64 {
		i := &accounts.Institution{Name: name, Acronym: acronym + time.Now().Format("150405.000000"), Country: country}
		if err := st.InsertInstitution(ctx, i); err != nil {
			t.Fatal(err)
		}
		return &i.ID
	}
	ilss, caps, bps := inst("Instituto Luso", "ILSS", "PT"), inst("Caja Peruana", "CAPS", "PE"), inst("Banco de Previsión", "BPS", "UY")
	admin := w.person(accounts.RoleAdmin, "")
	c := w.consultation(admin, w.network(admin, "es").Forum.ID, time.Hour, "Sí", "No")
	d, _ := w.com.Topic(ctx, admin, c.ID)
	for _, m := range []struct {
		name string
		inst *int64
		body string
	}{{"João Conceição", ilss, "Concordo."}, {"Ana Peña", bps, "=HYPERLINK(\"x\")"}, {"Luis Ñáñez", caps, "De acuerdo."}} {
		a := w.person(accounts.RoleLearner, m.name)
		if _, err := w.db.NewUpdate().Table("users").Set("institution_id = ?", *m.inst).Where("id = ?", a.UserID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := w.com.CreatePost(ctx, a, c.ID, community.PostParams{Body: m.body, OptionID: &d.Options[0].ID}); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := w.com.Answers(ctx, w.person(accounts.RoleLearner, ""), c.ID)
	wantErr(t, err, community.ErrForbidden)
	_, rows, err := w.com.Answers(ctx, admin, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	err = community.WriteAnswersCSV(&buf, rows, community.AnswersCSV{Header: []string{"país", "institución", "miembro", "opción", "respuesta", "fecha", "editada", "oculta"}, Semicolon: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "\uFEFF") {
		t.Fatal("no byte order mark")
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := [][]string{}
	for _, rec := range recs[1:] {
		got = append(got, rec[:5])
	}
	want := [][]string{
		{"PE", "Caja Peruana", "Luis Ñáñez", "Sí", "De acuerdo."},
		{"PT", "Instituto Luso", "João Conceição", "Sí", "Concordo."},
		{"UY", "Banco de Previsión", "Ana Peña", "Sí", "'=HYPERLINK(\"x\")"},
	}
	if len(got) != len(want) {
		t.Fatalf("rows %v", got)
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: %v, want %v", i, got[i], want[i])
		}
	}
}
