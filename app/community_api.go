package app

import (
	"bytes"
	"context"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/community"
	"github.com/aula-platform/aula/courses"
)

// The JSON API of forums (docs/api.md, Community). The rules are the same
// calls the pages make.

// listForums is GET /api/v1/forums: the forums the caller may read.
func (s *server) listForums(c *fiber.Ctx) error {
	list, err := s.forums.Forums(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	out := make([]forumJSON, len(list))
	for i := range list {
		out[i] = forumJSONOf(&list[i])
	}
	return c.JSON(fiber.Map{"items": out, "total": len(out)})
}

// courseForum is GET /api/v1/courses/{id}/forum: the course's forum.
func (s *server) courseForum(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.forums.CourseForum(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(forumJSONOf(v))
}

// topicFilter reads ?q=&kind=&limit=&offset=.
func topicFilter(c *fiber.Ctx) community.TopicFilter {
	limit, offset := pagination(c)
	return community.TopicFilter{Query: c.Query("q"), Kind: community.Kind(c.Query("kind")), Limit: limit, Offset: offset}
}

// listTopics is GET /api/v1/forums/{id}/topics.
func (s *server) listTopics(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f := topicFilter(c)
	list, err := s.forums.Topics(c.UserContext(), actor(c), id, f)
	if err != nil {
		return err
	}
	items := make([]topicJSON, len(list.Topics))
	for i := range list.Topics {
		items[i] = topicJSONOf(&list.Topics[i])
	}
	return c.JSON(fiber.Map{"forum": forumJSONOf(list.Forum), "items": items, "total": list.Total, "limit": f.Limit, "offset": f.Offset})
}

// createTopic is POST /api/v1/forums/{id}/topics → 201 with the topic.
func (s *server) createTopic(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form topicForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	t, err := s.forums.CreateTopic(c.UserContext(), actor(c), id, form.params())
	if err != nil {
		return err
	}
	return s.topicAnswer(c, t.ID, fiber.StatusCreated)
}

// topicAnswer answers with the topic as the caller now sees it.
func (s *server) topicAnswer(c *fiber.Ctx, id int64, status int) error {
	d, err := s.forums.Topic(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(topicDetailJSON(d))
}

// showTopic is GET /api/v1/topics/{id}: the topic with its posts, replies
// nested one level; it marks the topic read.
func (s *server) showTopic(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return s.topicAnswer(c, id, fiber.StatusOK)
}

// createPost is POST /api/v1/topics/{id}/posts → 201 with the post.
func (s *server) createPost(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form postForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	p, err := s.forums.CreatePost(c.UserContext(), actor(c), id, community.PostParams{Body: form.BodyMarkdown,
		ParentID: form.ParentID, OptionID: form.OptionID})
	if err != nil {
		return err
	}
	p.AuthorName = currentUser(c).Name
	return c.Status(fiber.StatusCreated).JSON(postJSONOf(p))
}

// editPost is PATCH /api/v1/posts/{id}: {body_markdown, option_id?}.
func (s *server) editPost(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form editForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	// option_id present (even null) changes the choice; absent keeps it.
	setOption := bytes.Contains(c.Body(), []byte(`"option_id"`))
	p, err := s.forums.EditPost(c.UserContext(), actor(c), id, community.EditParams{Body: form.BodyMarkdown,
		OptionID: form.OptionID, SetOption: setOption})
	if err != nil {
		return err
	}
	return c.JSON(postJSONOf(p))
}

// acceptPost is POST /api/v1/topics/{id}/accept: {post_id} → 200 topic.
func (s *server) acceptPost(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form acceptForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	if err := s.forums.Accept(c.UserContext(), actor(c), id, form.PostID); err != nil {
		return err
	}
	return s.topicAnswer(c, id, fiber.StatusOK)
}

// reportPost is POST /api/v1/posts/{id}/report: {reason} → 201.
func (s *server) reportPost(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form reasonForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	r, err := s.forums.Report(c.UserContext(), actor(c), id, form.Reason)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": r.ID, "post_id": r.PostID, "reason": r.Reason, "created_at": r.CreatedAt.UTC()})
}

// postAct is a moderator's act with a reason on a post (community's
// Hide, Restore, Approve) or a topic (locking, pinning).
type postAct func(ctx context.Context, a courses.Actor, postID int64, reason string) error

// moderateAPI runs act on :id with the body's optional reason → 204.
func (s *server) moderateAPI(act postAct) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		var form reasonForm
		if len(c.Body()) > 0 {
			if err := parseBody(c, &form); err != nil {
				return err
			}
		}
		if err := act(c.UserContext(), actor(c), id, form.Reason); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// locking and pinning are the moderator's topic acts as postActs on the
// topic :id.
func (s *server) locking(on bool) postAct {
	return func(ctx context.Context, a courses.Actor, id int64, reason string) error {
		return s.forums.SetLocked(ctx, a, id, on, reason)
	}
}

func (s *server) pinning(on bool) postAct {
	return func(ctx context.Context, a courses.Actor, id int64, reason string) error {
		return s.forums.SetPinned(ctx, a, id, on, reason)
	}
}

// moveTopic is POST /api/v1/topics/{id}/move: {forum_id, reason} → 204.
func (s *server) moveTopic(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form topicMoveForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	if err := s.forums.Move(c.UserContext(), actor(c), id, form.ForumID, form.Reason); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// publishSynthesis is POST /api/v1/topics/{id}/synthesis → 200 topic.
func (s *server) publishSynthesis(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var form synthesisForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	if _, err := s.forums.Synthesis(c.UserContext(), actor(c), id, form.BodyMarkdown); err != nil {
		return err
	}
	return s.topicAnswer(c, id, fiber.StatusOK)
}

// toggle is a service call that turns something on or off for the caller
// on the resource :id: following a topic or forum, a "+1", a moderator.
type toggle func(ctx context.Context, a courses.Actor, id int64, on bool) error

// toggleAPI is PUT (on) and DELETE (off) of a toggle → 204: follow on
// topics and forums, plus on posts, moderators.
func (s *server) toggleAPI(t toggle, on bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		if err := t(c.UserContext(), actor(c), id, on); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// postRevisions is GET /api/v1/posts/{id}/revisions, for moderators.
func (s *server) postRevisions(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := s.forums.Revisions(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	type revisionJSON struct {
		ID           int64   `json:"id"`
		BodyMarkdown string  `json:"body_markdown"`
		EditedBy     *person `json:"edited_by"`
		ReplacedAt   string  `json:"replaced_at"`
	}
	out := make([]revisionJSON, len(list))
	for i, r := range list {
		out[i] = revisionJSON{ID: r.ID, BodyMarkdown: r.BodyMarkdown, ReplacedAt: r.ReplacedAt.UTC().Format("2006-01-02T15:04:05.999999Z07:00")}
		if r.EditedBy != nil {
			out[i].EditedBy = &person{ID: *r.EditedBy, Name: r.EditorName}
		}
	}
	return c.JSON(fiber.Map{"items": out, "total": len(out)})
}

// moderationQueue is GET /api/v1/forums/{id}/moderation: open reports,
// held posts and the log, for the forum's moderators.
func (s *server) moderationQueue(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	q, err := s.forums.ModerationQueue(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	reports := make([]fiber.Map, len(q.Reports))
	for i, r := range q.Reports {
		reports[i] = fiber.Map{"id": r.ID, "post_id": r.PostID, "topic_id": r.TopicID, "topic_title": r.TopicTitle,
			"reason": r.Reason, "reporter": r.ReporterName, "created_at": r.CreatedAt.UTC()}
	}
	held := make([]postJSON, len(q.Held))
	for i := range q.Held {
		held[i] = postJSONOf(&q.Held[i])
	}
	log := make([]fiber.Map, len(q.Log))
	for i, e := range q.Log {
		log[i] = fiber.Map{"id": e.ID, "action": e.Action, "topic_id": e.TopicID, "post_id": e.PostID,
			"moderator": e.ActorName, "reason": e.Reason, "created_at": e.CreatedAt.UTC()}
	}
	return c.JSON(fiber.Map{"reports": reports, "held": held, "log": log})
}

// answersCSV is GET …/topics/{id}/answers.csv: a consultation's answers by
// country and institution, for its author and the moderators.
func (s *server) answersCSV(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	t, rows, err := s.forums.Answers(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	tr := s.i18n.Printer(lang(c))
	var header []string
	for _, col := range []string{"country", "institution", "member", "option", "answer", "answered", "edited", "hidden"} {
		header = append(header, tr.T("community.csv."+col))
	}
	header[5] = tr.T("community.csv.answered", s.viewerLocation(currentUser(c)).String())
	var buf bytes.Buffer
	err = community.WriteAnswersCSV(&buf, rows, community.AnswersCSV{Header: header, Yes: tr.T("quiz.yes"),
		Semicolon: decimalComma(tr.Lang), Location: s.viewerLocation(currentUser(c))})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="consultation-%d-answers.csv"`, t.ID))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

// listModerators is GET /api/v1/moderators, for admins.
func (s *server) listModerators(c *fiber.Ctx) error {
	list, err := s.forums.Moderators(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	out := make([]person, len(list))
	for i, m := range list {
		out[i] = person{ID: m.ID, Name: m.Name}
	}
	return c.JSON(fiber.Map{"items": out, "total": len(out)})
}

type communitySettingsForm struct {
	HoldNewAccountsDays int `json:"hold_new_accounts_days" form:"hold_new_accounts_days"`
}

// communitySettings is GET /api/v1/community/settings, for admins.
func (s *server) communitySettings(c *fiber.Ctx) error {
	st, err := s.forums.Settings(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(communitySettingsForm{HoldNewAccountsDays: st.HoldNewAccountsDays})
}

// saveCommunitySettings is PUT /api/v1/community/settings, for admins.
func (s *server) saveCommunitySettings(c *fiber.Ctx) error {
	var form communitySettingsForm
	if err := parseBody(c, &form); err != nil {
		return err
	}
	st, err := s.forums.SaveSettings(c.UserContext(), actor(c), form.HoldNewAccountsDays)
	if err != nil {
		return err
	}
	return c.JSON(communitySettingsForm{HoldNewAccountsDays: st.HoldNewAccountsDays})
}

// attachFile is POST /api/v1/posts/{id}/attachments (multipart "file")
// → 201 with the attachment.
func (s *server) attachFile(c *fiber.Ctx) error {
	a, err := s.attach(c)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(attachmentJSONOf(*a))
}

// attach stores the request's "file" field as an attachment of post :id.
func (s *server) attach(c *fiber.Ctx) (*community.Attachment, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	fh, err := c.FormFile(uploadField)
	if err != nil {
		return nil, errNoFile
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("app: open attachment: %w", err)
	}
	defer f.Close()
	return s.forums.Attach(c.UserContext(), actor(c), id, fh.Filename, f)
}
