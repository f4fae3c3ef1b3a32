package app

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/community"
	"github.com/aula-platform/aula/courses"
)

// The forums' pages: forms post to the same service methods as the API,
// then redirect (303) back to the topic or forum.

type forumsPage struct {
	Page
	Forums []forumJSON
}

// forumsPage lists the forums the member may read.
func (s *server) forumsPage(c *fiber.Ctx) error {
	list, err := s.forums.Forums(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	p := forumsPage{Page: s.page(c, "community.forums.title")}
	p.Nav = "forums"
	for i := range list {
		p.Forums = append(p.Forums, forumJSONOf(&list[i]))
	}
	return s.render(c, "pages/community/forums", p)
}

// networkForumPage sends the member to the network forum in their
// language: the header's link.
func (s *server) networkForumPage(c *fiber.Ctx) error {
	v, err := s.forums.NetworkForum(c.UserContext(), actor(c), forumLanguage(lang(c)))
	if err != nil {
		return err
	}
	return c.Redirect(forumPath(v.Forum.ID), fiber.StatusSeeOther)
}

// courseForumPage sends the member to a course's forum (/courses/{slug}/forum).
func (s *server) courseForumPage(c *fiber.Ctx) error {
	acc, err := s.courseAccess(c, "ref")
	if err != nil {
		return err
	}
	v, err := s.forums.CourseForum(c.UserContext(), actor(c), acc.Course.ID)
	if err != nil {
		return err
	}
	return c.Redirect(forumPath(v.Forum.ID), fiber.StatusSeeOther)
}

// topicPageForm is the new-topic form as typed, kept when it is refused.
type topicPageForm struct {
	Kind         string `form:"kind"`
	Title        string `form:"title"`
	BodyMarkdown string `form:"body_markdown"`
	ClosesAt     string `form:"closes_at"`
	Options      string `form:"options"`
}

type forumPage struct {
	Page
	Forum     forumJSON
	Topics    []topicItem
	Items     []topicItem // for partials/pager
	Pager     pager
	Query     string
	Kind      string
	Kinds     []community.Kind
	Following bool
	Form      topicPageForm
	Errors    map[string]string
}

// topicItem is a topic in a forum's list.
type topicItem struct {
	topicJSON
	LastPost time.Time
}

func (s *server) forumPage(c *fiber.Ctx) error {
	return s.renderForum(c, topicPageForm{Kind: string(community.KindDiscussion)}, nil, fiber.StatusOK)
}

func (s *server) renderForum(c *fiber.Ctx, form topicPageForm, errs map[string]string, status int) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f := topicFilter(c)
	list, err := s.forums.Topics(c.UserContext(), actor(c), id, f)
	if errors.Is(err, community.ErrInvalidKind) {
		f.Kind = ""
		list, err = s.forums.Topics(c.UserContext(), actor(c), id, f)
	}
	if err != nil {
		return err
	}
	p := forumPage{Page: s.page(c, "community.forum.title"), Forum: forumJSONOf(list.Forum), Query: f.Query,
		Kind: string(f.Kind), Following: list.Following, Form: form, Errors: errs,
		Kinds: []community.Kind{community.KindDiscussion, community.KindQuestion}}
	p.Title = list.Forum.Title
	p.Nav = "forums"
	if list.Forum.Staff {
		p.Kinds = append(p.Kinds, community.KindConsultation)
	}
	for i := range list.Topics {
		p.Topics = append(p.Topics, topicItem{topicJSON: topicJSONOf(&list.Topics[i]), LastPost: list.Topics[i].LastPostAt})
	}
	p.Items = p.Topics
	p.Pager = newPager(c, list.Total, f.Limit, f.Offset)
	c.Status(status)
	return s.render(c, "pages/community/forum", p)
}

// createTopicPage takes the forum page's new-topic form.
func (s *server) createTopicPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form topicPageForm
	if err := c.BodyParser(&form); err != nil {
		return errMalformed
	}
	tf := topicForm{Kind: form.Kind, Title: form.Title, BodyMarkdown: form.BodyMarkdown}
	// One option a line; blank lines are nothing.
	for _, line := range strings.Split(form.Options, "\n") {
		if strings.TrimSpace(line) != "" {
			tf.Options = append(tf.Options, line)
		}
	}
	if form.Kind == string(community.KindConsultation) && strings.TrimSpace(form.ClosesAt) != "" {
		at, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(form.ClosesAt), s.viewerLocation(currentUser(c)))
		if err != nil {
			return s.renderForum(c, form, s.fieldMessages(c, community.ErrInvalidClosesAt), fiber.StatusUnprocessableEntity)
		}
		tf.ClosesAt = &at
	}
	t, err := s.forums.CreateTopic(c.UserContext(), actor(c), id, tf.params())
	if err != nil {
		if fieldError(err) {
			return s.renderForum(c, form, s.fieldMessages(c, err), statusOf(err))
		}
		return err
	}
	flash := ""
	if t.Held {
		flash = "community.flash.held"
	}
	return s.redirectWithFlash(c, topicPath(t.ID), flash)
}

// fieldMessages translates the field messages of err, for a form page.
func (s *server) fieldMessages(c *fiber.Ctx, err error) map[string]string {
	he, ok := asHTTPError(err)
	if !ok {
		return nil
	}
	tr := s.i18n.Printer(lang(c))
	out := make(map[string]string, len(he.Fields))
	for f, m := range he.Fields {
		out[f] = tr.T(m.Key, m.Args...)
	}
	return out
}

type topicPage struct {
	Page
	Forum     forumJSON
	Topic     *community.Topic
	Detail    *community.TopicDetail
	Posts     []postItem
	Synthesis template.HTML
	Form      postPageForm
	Errors    map[string]string
	// ReplyTo is the post whose reply form was refused.
	ReplyTo int64
	CSVURL  string
}

// postItem is a post as the topic page shows it.
type postItem struct {
	community.PostView
	Body        template.HTML
	Replies     []postItem
	Attachments []attachmentJSON
	Option      string
	card        *postCard
}

// postCard is what the template of one post needs besides the post: the
// page (for T, Time, CSRF) and what the reader may do in the topic.
type postCard struct {
	Page      *Page
	P         postItem
	CanAccept bool
	Moderate  bool
	TopicID   int64
	Lang      string
}

// Card is the post with its page, for {{template "community/post" .Card}}.
func (p postItem) Card() postCard {
	c := *p.card
	c.P = p
	return c
}

func postItems(views []community.PostView, options map[int64]string, card *postCard) []postItem {
	out := make([]postItem, len(views))
	for i, v := range views {
		// body_html is sanitised on save (courses.RenderMarkdown).
		out[i] = postItem{PostView: v, Body: template.HTML(v.BodyHTML), Replies: postItems(v.Replies, options, card), card: card} //nolint:gosec
		for _, a := range v.Attachments {
			out[i].Attachments = append(out[i].Attachments, attachmentJSONOf(a))
		}
		if v.OptionID != nil {
			out[i].Option = options[*v.OptionID]
		}
	}
	return out
}

// postPageForm is a reply or answer as typed.
type postPageForm struct {
	BodyMarkdown string `form:"body_markdown"`
	ParentID     string `form:"parent_id"`
	OptionID     string `form:"option_id"`
}

// optionalID reads a form's id field: "" is none.
func optionalID(v string) (*int64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return nil, errMalformed
	}
	return &id, nil
}

func (s *server) topicPage(c *fiber.Ctx) error {
	return s.renderTopic(c, postPageForm{}, nil, 0, fiber.StatusOK)
}

func (s *server) renderTopic(c *fiber.Ctx, form postPageForm, errs map[string]string, replyTo int64, status int) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.forums.Topic(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	options := map[int64]string{}
	for _, o := range d.Options {
		options[o.ID] = o.Label
	}
	p := topicPage{Page: s.page(c, "community.forum.title"), Forum: forumJSONOf(d.Forum), Topic: d.Topic, Detail: d,
		Form: form, Errors: errs, ReplyTo: replyTo}
	p.Title = d.Topic.Title
	p.Nav = "forums"
	card := &postCard{Page: &p.Page, CanAccept: d.CanAccept, Moderate: d.Forum.Moderate, TopicID: d.Topic.ID, Lang: d.Forum.Forum.Language}
	p.Posts = postItems(d.Posts, options, card)
	if d.Topic.SynthesisHTML != nil {
		p.Synthesis = template.HTML(*d.Topic.SynthesisHTML) //nolint:gosec // sanitised on save
	}
	if d.Topic.Kind == community.KindConsultation && (d.Forum.Moderate || isAuthorOf(c, d.Topic.AuthorID)) {
		p.CSVURL = fmt.Sprintf("/topics/%d/answers.csv", d.Topic.ID)
	}
	c.Status(status)
	return s.render(c, "pages/community/topic", p)
}

func isAuthorOf(c *fiber.Ctx, author *int64) bool {
	u := currentUser(c)
	return u != nil && author != nil && *author == u.ID
}

// createPostPage takes the topic page's reply and answer forms.
func (s *server) createPostPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form postPageForm
	if err := c.BodyParser(&form); err != nil {
		return errMalformed
	}
	parent, err := optionalID(form.ParentID)
	if err != nil {
		return err
	}
	option, err := optionalID(form.OptionID)
	if err != nil {
		return err
	}
	p, err := s.forums.CreatePost(c.UserContext(), actor(c), id, community.PostParams{Body: form.BodyMarkdown, ParentID: parent, OptionID: option})
	if err != nil {
		if errs := s.postFormErrors(c, err); errs != nil {
			replyTo := int64(0)
			if parent != nil {
				replyTo = *parent
			}
			return s.renderTopic(c, form, errs, replyTo, statusOf(err))
		}
		return err
	}
	flash := ""
	if p.Held {
		flash = "community.flash.held"
	}
	return s.redirectWithFlash(c, fmt.Sprintf("%s#post-%d", topicPath(id), p.ID), flash)
}

// postFormErrors returns what a post's form shows next to its fields
// when err is about what was written (validation, a closed consultation,
// a second answer, a locked topic), or nil for errors the error page
// tells.
func (s *server) postFormErrors(c *fiber.Ctx, err error) map[string]string {
	if fieldError(err) {
		return s.fieldMessages(c, err)
	}
	for _, e := range []error{community.ErrClosed, community.ErrAlreadyAnswered, community.ErrLocked} {
		if errors.Is(err, e) {
			return map[string]string{"body_markdown": s.message(c, err)}
		}
	}
	return nil
}

// message is the translated message of err.
func (s *server) message(c *fiber.Ctx, err error) string {
	he, ok := asHTTPError(err)
	if !ok {
		return ""
	}
	return s.i18n.Printer(lang(c)).T(he.Msg.Key, he.Msg.Args...)
}

type postEditPage struct {
	Page
	Post     *community.Post
	Topic    *community.Topic
	Options  []community.OptionCount
	Form     postPageForm
	Errors   map[string]string
	Revision []community.Revision
}

// editPostPage shows a post's edit form (and, to moderators, its history).
func (s *server) editPostPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return s.renderPostEdit(c, id, nil, nil, fiber.StatusOK)
}

func (s *server) renderPostEdit(c *fiber.Ctx, id int64, form *postPageForm, errs map[string]string, status int) error {
	ctx := c.UserContext()
	p, d, err := s.forums.PostInTopic(ctx, actor(c), id)
	if err != nil {
		return err
	}
	page := postEditPage{Page: s.page(c, "community.edit.title"), Post: p, Topic: d.Topic, Options: d.Options, Errors: errs}
	page.Nav = "forums"
	if form != nil {
		page.Form = *form
	} else {
		page.Form.BodyMarkdown = p.BodyMarkdown
		if p.OptionID != nil {
			page.Form.OptionID = strconv.FormatInt(*p.OptionID, 10)
		}
	}
	if d.Forum.Moderate {
		if page.Revision, err = s.forums.Revisions(ctx, actor(c), id); err != nil {
			return err
		}
	}
	c.Status(status)
	return s.render(c, "pages/community/post_edit", page)
}

// updatePostPage saves a post's edit form.
func (s *server) updatePostPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form postPageForm
	if err := c.BodyParser(&form); err != nil {
		return errMalformed
	}
	option, err := optionalID(form.OptionID)
	if err != nil {
		return err
	}
	hasOption := len(c.Request().PostArgs().PeekMulti("option_id")) > 0
	p, err := s.forums.EditPost(c.UserContext(), actor(c), id, community.EditParams{Body: form.BodyMarkdown, OptionID: option, SetOption: hasOption})
	if err != nil {
		if errs := s.postFormErrors(c, err); errs != nil {
			return s.renderPostEdit(c, id, &form, errs, statusOf(err))
		}
		return err
	}
	return s.redirectWithFlash(c, fmt.Sprintf("%s#post-%d", topicPath(p.TopicID), p.ID), "community.flash.saved")
}

// back returns to the topic (or forum) a form was sent from.
func (s *server) back(c *fiber.Ctx, path, flash string) error {
	return s.redirectWithFlash(c, path, flash)
}

// postActionPage runs act on post :id with the form's reason, then goes
// back to its topic.
func (s *server) postActionPage(act postAct, flash string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		if err := act(c.UserContext(), actor(c), id, c.FormValue("reason")); err != nil {
			return err
		}
		return s.backToPost(c, id, flash)
	}
}

// backToPost redirects to the topic of post id.
func (s *server) backToPost(c *fiber.Ctx, id int64, flash string) error {
	p, _, err := s.forums.PostInTopic(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return s.back(c, fmt.Sprintf("%s#post-%d", topicPath(p.TopicID), p.ID), flash)
}

// reportPostPage takes a post's report form.
func (s *server) reportPostPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.forums.Report(c.UserContext(), actor(c), id, c.FormValue("reason")); err != nil {
		return err
	}
	return s.backToPost(c, id, "community.flash.reported")
}

// topicActionPage runs act on topic :id, then goes back to it.
func (s *server) topicActionPage(act func(ctx context.Context, a courses.Actor, id int64, c *fiber.Ctx) error, flash string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		if err := act(c.UserContext(), actor(c), id, c); err != nil {
			return err
		}
		return s.back(c, topicPath(id), flash)
	}
}

func (s *server) acceptAct(ctx context.Context, a courses.Actor, id int64, c *fiber.Ctx) error {
	post, err := optionalID(c.FormValue("post_id"))
	if err != nil || post == nil {
		post = new(int64) // no post: refused after the topic's access is checked
	}
	return s.forums.Accept(ctx, a, id, *post)
}

// topicActPage runs a moderator's act on topic :id with the form's
// reason, then goes back to it.
func (s *server) topicActPage(act postAct) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		if err := act(c.UserContext(), actor(c), id, c.FormValue("reason")); err != nil {
			return err
		}
		return s.backToTopic(c, id)
	}
}

func (s *server) synthesisAct(ctx context.Context, a courses.Actor, id int64, c *fiber.Ctx) error {
	_, err := s.forums.Synthesis(ctx, a, id, c.FormValue("body_markdown"))
	return err
}

// moveTopicPage moves a topic, then follows it to its new forum.
func (s *server) moveTopicPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	to, err := optionalID(c.FormValue("forum_id"))
	if err != nil || to == nil {
		return s.forums.Move(c.UserContext(), actor(c), id, 0, "") // refused: no such forum
	}
	if err := s.forums.Move(c.UserContext(), actor(c), id, *to, c.FormValue("reason")); err != nil {
		return err
	}
	return s.back(c, topicPath(id), "community.flash.moved")
}

// togglePage turns a toggle on or off for the caller from a form, then
// goes back to where (the topic, the forum, the post).
func (s *server) togglePage(t toggle, on bool, where func(c *fiber.Ctx, id int64) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		if err := t(c.UserContext(), actor(c), id, on); err != nil {
			return err
		}
		return where(c, id)
	}
}

func (s *server) backToTopic(c *fiber.Ctx, id int64) error { return s.back(c, topicPath(id), "") }
func (s *server) backToForum(c *fiber.Ctx, id int64) error { return s.back(c, forumPath(id), "") }
func (s *server) backToThePost(c *fiber.Ctx, id int64) error {
	return s.backToPost(c, id, "")
}

type moderationPage struct {
	Page
	Forum forumJSON
	Queue *community.Queue
}

// moderationPage is a forum's moderation queue and log.
func (s *server) moderationPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	q, err := s.forums.ModerationQueue(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	p := moderationPage{Page: s.page(c, "community.moderation.title"), Forum: forumJSONOf(q.Forum), Queue: q}
	p.Nav = "forums"
	return s.render(c, "pages/community/moderation", p)
}

// attachPage takes a post's attachment form.
func (s *server) attachPage(c *fiber.Ctx) error {
	a, err := s.attach(c)
	if err != nil {
		return err
	}
	return s.backToPost(c, a.PostID, "community.flash.attached")
}

// serveAttachment sends an attachment to a reader of its post: images
// inline, PDFs as downloads, never cached by shared caches.
func (s *server) serveAttachment(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	a, err := s.forums.Attachment(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	f, err := s.forums.OpenAttachment(c.UserContext(), a)
	if err != nil {
		return err
	}
	disposition := "attachment"
	if strings.HasPrefix(a.ContentType, "image/") {
		disposition = "inline"
	}
	c.Set(fiber.HeaderContentType, a.ContentType)
	c.Set(fiber.HeaderContentDisposition, contentDisposition(disposition, a.FileName))
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Response().SetBodyStream(f, int(a.SizeBytes)) // fasthttp closes f
	return nil
}
