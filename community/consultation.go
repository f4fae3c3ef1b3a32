package community

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/spreadsheet"
)

// Synthesis publishes (or replaces) a closed consultation's synthesis,
// shown on top of its answers: by the consultation's author only
// (ErrForbidden), once it has closed (ErrNotClosed). Followers are told.
func (s *Service) Synthesis(ctx context.Context, actor courses.Actor, topicID int64, body string) (*Topic, error) {
	body, err := checkBody(body)
	if err != nil {
		return nil, err
	}
	html, err := courses.RenderMarkdown(body)
	if err != nil {
		return nil, err
	}
	var t *Topic
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var v *ForumView
		t, v, err = s.topicFor(ctx, tx, actor, topicID, true)
		if err != nil {
			return err
		}
		if t.Kind != KindConsultation {
			return fmt.Errorf("community: synthesis of %d: %w", topicID, ErrInvalidKind)
		}
		if !isAuthor(actor, t.AuthorID) {
			return fmt.Errorf("community: synthesis of %d: %w", topicID, ErrForbidden)
		}
		now := s.now()
		if !t.Closed(now) {
			return fmt.Errorf("community: synthesis of %d: %w", topicID, ErrNotClosed)
		}
		t.SynthesisMarkdown, t.SynthesisHTML, t.SynthesisAt = &body, &html, &now
		st := NewStore(tx)
		if err := st.UpdateTopic(ctx, t, "synthesis_markdown", "synthesis_html", "synthesis_at"); err != nil {
			return err
		}
		followers, err := st.Followers(ctx, t.ID, v.Forum.ID)
		if err != nil {
			return err
		}
		followers = slices.DeleteFunc(followers, func(id int64) bool { return id == actor.UserID })
		return s.notify(ctx, tx, v.Forum, Notification{Kind: NotifyReply, UserIDs: followers, ForumID: v.Forum.ID,
			TopicID: t.ID, TopicTitle: t.Title, ActorID: actor.UserID})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// AnswerRow is one member's answer to a consultation, with where they work.
type AnswerRow struct {
	Country, Institution, Name string
	Option                     string
	Answer                     string
	AnsweredAt                 time.Time
	EditedAt                   *time.Time
	Hidden                     bool
}

// Answers returns a consultation's answers by country, institution and
// name, for its author and the forum's moderators (ErrForbidden for
// others). Answers a moderator hid are marked so; held ones are left out.
func (s *Service) Answers(ctx context.Context, actor courses.Actor, topicID int64) (*Topic, []AnswerRow, error) {
	t, v, err := s.topicFor(ctx, s.db, actor, topicID, false)
	if err != nil {
		return nil, nil, err
	}
	if t.Kind != KindConsultation {
		return nil, nil, fmt.Errorf("community: answers of %d: %w", topicID, ErrNotFound)
	}
	if !v.Moderate && !isAuthor(actor, t.AuthorID) {
		return nil, nil, fmt.Errorf("community: answers of %d: %w", topicID, ErrForbidden)
	}
	st := NewStore(s.db)
	posts, err := st.Posts(ctx, t.ID)
	if err != nil {
		return nil, nil, err
	}
	opts, err := st.Options(ctx, t.ID)
	if err != nil {
		return nil, nil, err
	}
	labels := map[int64]string{}
	for _, o := range opts {
		labels[o.ID] = o.Label
	}
	var ids []int64
	for _, p := range posts {
		if p.AuthorID != nil {
			ids = append(ids, *p.AuthorID)
		}
	}
	members, err := accounts.Members(ctx, s.db, uniqueIDs(ids))
	if err != nil {
		return nil, nil, err
	}
	names, err := accounts.UserNames(ctx, s.db, uniqueIDs(ids))
	if err != nil {
		return nil, nil, err
	}
	var rows []AnswerRow
	for _, p := range posts {
		if !p.Answer || p.Held {
			continue
		}
		r := AnswerRow{Answer: p.BodyMarkdown, AnsweredAt: p.CreatedAt, EditedAt: p.EditedAt, Hidden: p.HiddenAt != nil}
		if p.OptionID != nil {
			r.Option = labels[*p.OptionID]
		}
		if p.AuthorID != nil {
			m := members[*p.AuthorID]
			r.Country, r.Institution, r.Name = m.Country, m.Institution, names[*p.AuthorID]
		}
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b AnswerRow) int {
		return cmp.Or(cmp.Compare(a.Country, b.Country), cmp.Compare(a.Institution, b.Institution), cmp.Compare(a.Name, b.Name))
	})
	return t, rows, nil
}

// AnswersCSV says how WriteAnswersCSV writes for the reader's spreadsheet.
type AnswersCSV struct {
	// Header names the columns, in this order: country, institution,
	// member, option, answer, answered, edited, hidden.
	Header []string
	// Yes is written in the hidden column of a hidden answer.
	Yes string
	// Semicolon separates fields with ";", as spreadsheet programs expect
	// in languages that write decimals with a comma (es, pt).
	Semicolon bool
	// Location is the zone times are written in (UTC when nil).
	Location *time.Location
}

// answersColumns is the number of columns WriteAnswersCSV writes.
const answersColumns = 8

// WriteAnswersCSV writes a consultation's answers as CSV, UTF-8 with a
// byte order mark so spreadsheets show "Conceição". Text a spreadsheet
// would run as a formula ("=…", "+…", "-…", "@…") gets a leading
// apostrophe.
func WriteAnswersCSV(w io.Writer, rows []AnswerRow, f AnswersCSV) error {
	if len(f.Header) != answersColumns {
		return fmt.Errorf("community: answers CSV needs %d column names", answersColumns)
	}
	loc := f.Location
	if loc == nil {
		loc = time.UTC
	}
	cw, err := spreadsheet.NewWriter(w, f.Semicolon)
	if err != nil {
		return err
	}
	if err := cw.Write(f.Header); err != nil {
		return err
	}
	const layout = "2006-01-02 15:04"
	for _, r := range rows {
		edited, hidden := "", ""
		if r.EditedAt != nil {
			edited = r.EditedAt.In(loc).Format(layout)
		}
		if r.Hidden {
			hidden = f.Yes
		}
		rec := []string{r.Country, spreadsheet.SafeText(r.Institution), spreadsheet.SafeText(r.Name), spreadsheet.SafeText(r.Option), spreadsheet.SafeText(r.Answer),
			r.AnsweredAt.In(loc).Format(layout), edited, hidden}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
