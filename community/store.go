package community

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/postgres"
)

// Store holds every query of the community's tables. db is a *bun.DB or a
// bun.Tx, so the same queries run inside the service's transactions.
type Store struct {
	db bun.IDB
}

// NewStore returns a Store on db.
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

// searchConfig is the text search configuration of a language: its
// stemmer after unaccent (migration 20261201220000_community).
func searchConfig(language string) string {
	switch language {
	case "es", "pt":
		return "community_" + language
	}
	return "community_en"
}

// ---- forums ----

// Forum returns the forum with id.
func (s *Store) Forum(ctx context.Context, id int64) (*Forum, error) {
	f := new(Forum)
	if err := s.db.NewSelect().Model(f).Where("f.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("forum %d: %w", id, notFound(err))
	}
	return f, nil
}

// ForumOf returns the forum of a course or event.
func (s *Store) ForumOf(ctx context.Context, scope Scope, scopeID int64) (*Forum, error) {
	f := new(Forum)
	if err := s.db.NewSelect().Model(f).Where("f.scope = ? AND f.scope_id = ?", scope, scopeID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("forum of %s %d: %w", scope, scopeID, notFound(err))
	}
	return f, nil
}

// ForumsOf returns the forums of several courses or events, by their id.
func (s *Store) ForumsOf(ctx context.Context, scope Scope, ids []int64) (map[int64]*Forum, error) {
	out := make(map[int64]*Forum, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var list []Forum
	if err := s.db.NewSelect().Model(&list).Where("f.scope = ? AND f.scope_id IN (?)", scope, bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("forums of %s: %w", scope, err)
	}
	for i := range list {
		out[*list[i].ScopeID] = &list[i]
	}
	return out, nil
}

// NetworkForum returns the network forum in language.
func (s *Store) NetworkForum(ctx context.Context, language string) (*Forum, error) {
	f := new(Forum)
	if err := s.db.NewSelect().Model(f).Where("f.scope = ? AND f.language = ?", ScopeNetwork, language).Scan(ctx); err != nil {
		return nil, fmt.Errorf("network forum %s: %w", language, notFound(err))
	}
	return f, nil
}

// NetworkForums returns every network forum, by id.
func (s *Store) NetworkForums(ctx context.Context) ([]Forum, error) {
	var list []Forum
	if err := s.db.NewSelect().Model(&list).Where("f.scope = ?", ScopeNetwork).OrderExpr("f.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("network forums: %w", err)
	}
	return list, nil
}

// networkTitles are the network forums' titles, each in its language.
var networkTitles = map[string]string{"en": "Network forum", "es": "Foro de la red", "pt": "Fórum da rede"}

// EnsureNetworkForums makes the network forums that do not exist yet,
// one per course language, in one statement.
func (s *Store) EnsureNetworkForums(ctx context.Context) error {
	rows := make([]Forum, 0, len(networkTitles))
	for _, lang := range []string{"es", "pt", "en"} {
		rows = append(rows, Forum{Scope: ScopeNetwork, Language: lang, Title: networkTitles[lang]})
	}
	if _, err := s.db.NewInsert().Model(&rows).ExcludeColumn("id", "created_at").
		On("CONFLICT (language) WHERE scope = 'network' DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("make network forums: %w", err)
	}
	return nil
}

// EnsureCourseForums makes the forums of the courses that have none, in
// one statement; two requests doing it at once make each forum once.
func (s *Store) EnsureCourseForums(ctx context.Context, list []courses.ReadableCourse) error {
	if len(list) == 0 {
		return nil
	}
	rows := make([]Forum, len(list))
	for i, c := range list {
		id := c.ID
		rows[i] = Forum{Scope: ScopeCourse, ScopeID: &id, CourseID: &id, Language: c.Language}
	}
	if _, err := s.db.NewInsert().Model(&rows).ExcludeColumn("id", "created_at").
		On("CONFLICT (scope, scope_id) WHERE scope_id IS NOT NULL DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("make course forums: %w", err)
	}
	return nil
}

// EnsureEventForum makes the forum of an event if it has none.
func (s *Store) EnsureEventForum(ctx context.Context, eventID int64, language string) error {
	f := &Forum{Scope: ScopeEvent, ScopeID: &eventID, Language: language}
	if _, err := s.db.NewInsert().Model(f).ExcludeColumn("id", "created_at").
		On("CONFLICT (scope, scope_id) WHERE scope_id IS NOT NULL DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("make forum of event %d: %w", eventID, err)
	}
	return nil
}

// ---- moderators and settings ----

// IsModerator reports whether an admin named the user moderator.
func (s *Store) IsModerator(ctx context.Context, userID int64) (bool, error) {
	ok, err := s.db.NewSelect().Table("forum_moderators").Where("user_id = ?", userID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("is %d moderator: %w", userID, err)
	}
	return ok, nil
}

// AddModerator names the user moderator (again: nothing changes).
func (s *Store) AddModerator(ctx context.Context, userID, by int64) error {
	_, err := s.db.NewRaw("INSERT INTO forum_moderators (user_id, named_by) VALUES (?, ?) ON CONFLICT DO NOTHING", userID, by).Exec(ctx)
	if postgres.Code(err) == postgres.ForeignKeyViolation {
		return fmt.Errorf("moderator %d: %w", userID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("add moderator %d: %w", userID, err)
	}
	return nil
}

// RemoveModerator takes the named moderator's role away.
func (s *Store) RemoveModerator(ctx context.Context, userID int64) error {
	if _, err := s.db.NewDelete().Table("forum_moderators").Where("user_id = ?", userID).Exec(ctx); err != nil {
		return fmt.Errorf("remove moderator %d: %w", userID, err)
	}
	return nil
}

// Moderators returns the ids of the named moderators.
func (s *Store) Moderators(ctx context.Context) ([]int64, error) {
	var ids []int64
	if err := s.db.NewSelect().Table("forum_moderators").Column("user_id").OrderExpr("user_id").Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("moderators: %w", err)
	}
	return ids, nil
}

// Settings returns the community settings: the defaults until an admin
// changes them.
func (s *Store) Settings(ctx context.Context) (*Settings, error) {
	var list []Settings
	if err := s.db.NewSelect().Model(&list).Limit(1).Scan(ctx); err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	if len(list) == 0 {
		return &Settings{ID: true}, nil
	}
	return &list[0], nil
}

// SaveSettings stores the community settings.
func (s *Store) SaveSettings(ctx context.Context, st *Settings, now time.Time) error {
	st.ID, st.UpdatedAt = true, now
	if _, err := s.db.NewInsert().Model(st).
		On("CONFLICT (id) DO UPDATE SET hold_new_accounts_days = EXCLUDED.hold_new_accounts_days, updated_at = EXCLUDED.updated_at").
		Exec(ctx); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return nil
}

// ---- topics ----

// Topic returns the topic with id.
func (s *Store) Topic(ctx context.Context, id int64) (*Topic, error) {
	t := new(Topic)
	if err := s.db.NewSelect().Model(t).Where("t.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("topic %d: %w", id, notFound(err))
	}
	return t, nil
}

// LockTopic returns the topic with id, locked for the rest of the
// transaction: every post, answer and moderation act in one topic takes
// its turn, so counters, the one-answer rule and the closing date are
// decided on what is really there.
func (s *Store) LockTopic(ctx context.Context, id int64) (*Topic, error) {
	t := new(Topic)
	if err := s.db.NewSelect().Model(t).Where("t.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("lock topic %d: %w", id, notFound(err))
	}
	return t, nil
}

// TopicQuery selects a page of a forum's topics for one reader.
type TopicQuery struct {
	ForumID int64
	// Reader's markers are read; Moderator also sees held topics, and
	// search finds hidden and held posts.
	ReaderID  int64
	Moderator bool
	Kind      Kind
	// Query is searched in titles and posts, in Language's stemming.
	Query         string
	Language      string
	Limit, Offset int
}

// Topics returns a page of a forum's topics, pinned ones first, then the
// most recently active, and how many match. A search runs on the posts'
// search vectors (GIN index forum_posts_search_idx).
func (s *Store) Topics(ctx context.Context, q TopicQuery) ([]Topic, int, error) {
	var list []Topic
	sel := s.db.NewSelect().Model(&list).
		ColumnExpr("t.*").ColumnExpr("coalesce(r.last_read_post_id, 0) AS last_read_post_id").
		Join("LEFT JOIN topic_reads AS r ON r.topic_id = t.id AND r.user_id = ?", q.ReaderID).
		Where("t.forum_id = ?", q.ForumID)
	if !q.Moderator {
		sel = sel.Where("(NOT t.held OR t.author_id = ?)", q.ReaderID)
	}
	if q.Kind != "" {
		sel = sel.Where("t.kind = ?", q.Kind)
	}
	if q.Query != "" {
		cond := "EXISTS (SELECT 1 FROM forum_posts AS p WHERE p.topic_id = t.id AND p.search @@ websearch_to_tsquery(?::regconfig, ?)"
		args := []any{searchConfig(q.Language), q.Query}
		if !q.Moderator {
			// A hidden or held post must not be found through its words.
			cond += " AND p.hidden_at IS NULL AND (NOT p.held OR p.author_id = ?)"
			args = append(args, q.ReaderID)
		}
		sel = sel.Where(cond+")", args...)
	}
	total, err := sel.OrderExpr("t.pinned_at DESC NULLS LAST, t.last_post_at DESC, t.id DESC").
		Limit(q.Limit).Offset(q.Offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("topics of forum %d: %w", q.ForumID, err)
	}
	return list, total, nil
}

// InsertTopic stores a new topic.
func (s *Store) InsertTopic(ctx context.Context, t *Topic) error {
	if _, err := s.db.NewInsert().Model(t).
		ExcludeColumn("id", "synthesis_markdown", "synthesis_html", "synthesis_at", "accepted_post_id", "locked_at", "pinned_at").
		Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("insert topic: %w", err)
	}
	return nil
}

// UpdateTopic writes the given columns of a topic.
func (s *Store) UpdateTopic(ctx context.Context, t *Topic, columns ...string) error {
	if _, err := s.db.NewUpdate().Model(t).Column(columns...).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("update topic %d: %w", t.ID, err)
	}
	return nil
}

// CountPost adds a visible post to its topic's counter and activity.
func (s *Store) CountPost(ctx context.Context, p *Post) error {
	if _, err := s.db.NewUpdate().Model((*Topic)(nil)).
		Set("posts_count = posts_count + 1").
		Set("last_post_id = greatest(last_post_id, ?)", p.ID).
		Set("last_post_at = greatest(last_post_at, ?)", p.CreatedAt).
		Where("id = ?", p.TopicID).Exec(ctx); err != nil {
		return fmt.Errorf("count post %d: %w", p.ID, err)
	}
	return nil
}

// InsertOptions stores a consultation's options.
func (s *Store) InsertOptions(ctx context.Context, opts []Option) error {
	if len(opts) == 0 {
		return nil
	}
	if _, err := s.db.NewInsert().Model(&opts).ExcludeColumn("id").Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("insert options: %w", err)
	}
	return nil
}

// Options returns a consultation's options in order.
func (s *Store) Options(ctx context.Context, topicID int64) ([]Option, error) {
	var list []Option
	if err := s.db.NewSelect().Model(&list).Where("o.topic_id = ?", topicID).OrderExpr("o.position").Scan(ctx); err != nil {
		return nil, fmt.Errorf("options of %d: %w", topicID, err)
	}
	return list, nil
}

// ---- posts ----

// Post returns the post with id.
func (s *Store) Post(ctx context.Context, id int64) (*Post, error) {
	p := new(Post)
	if err := s.db.NewSelect().Model(p).Where("p.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("post %d: %w", id, notFound(err))
	}
	return p, nil
}

// Posts returns every post of a topic, oldest first.
func (s *Store) Posts(ctx context.Context, topicID int64) ([]Post, error) {
	var list []Post
	if err := s.db.NewSelect().Model(&list).Where("p.topic_id = ?", topicID).OrderExpr("p.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("posts of %d: %w", topicID, err)
	}
	return list, nil
}

// InsertPost stores a post with its search vector; title, for an opening
// post, is searched with it and weighs more.
func (s *Store) InsertPost(ctx context.Context, p *Post, title string) error {
	cfg := searchConfig(p.Language)
	_, err := s.db.NewInsert().Model(p).ExcludeColumn("id", "plus_count", "edited_at", "hidden_at", "hidden_by").
		Value("search", "setweight(to_tsvector(?::regconfig, ?), 'A') || to_tsvector(?::regconfig, ?)", cfg, title, cfg, p.BodyMarkdown).
		Returning("id").Exec(ctx)
	if postgres.Code(err) == postgres.UniqueViolation && postgres.Constraint(err) == "forum_posts_one_answer_key" {
		return fmt.Errorf("answer to %d: %w", p.TopicID, ErrAlreadyAnswered)
	}
	if err != nil {
		return fmt.Errorf("insert post in %d: %w", p.TopicID, err)
	}
	return nil
}

// UpdatePostBody writes an edited post, its search vector and, first,
// the version it replaces.
func (s *Store) UpdatePostBody(ctx context.Context, p *Post, old string, title string, by int64, now time.Time) error {
	rev := &Revision{PostID: p.ID, BodyMarkdown: old, EditedBy: &by, ReplacedAt: now}
	if _, err := s.db.NewInsert().Model(rev).ExcludeColumn("id").Exec(ctx); err != nil {
		return fmt.Errorf("keep revision of %d: %w", p.ID, err)
	}
	cfg := searchConfig(p.Language)
	p.EditedAt = &now
	if _, err := s.db.NewUpdate().Model(p).Column("body_markdown", "body_html", "option_id", "edited_at").
		Set("search = setweight(to_tsvector(?::regconfig, ?), 'A') || to_tsvector(?::regconfig, ?)", cfg, title, cfg, p.BodyMarkdown).
		WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("update post %d: %w", p.ID, err)
	}
	return nil
}

// UpdatePost writes the given columns of a post.
func (s *Store) UpdatePost(ctx context.Context, p *Post, columns ...string) error {
	if _, err := s.db.NewUpdate().Model(p).Column(columns...).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("update post %d: %w", p.ID, err)
	}
	return nil
}

// MoveSearch re-indexes a topic's posts in another language, when the
// topic moves to a forum in that language.
func (s *Store) MoveSearch(ctx context.Context, topicID int64, language, title string) error {
	cfg := searchConfig(language)
	if _, err := s.db.NewUpdate().Model((*Post)(nil)).Set("language = ?", language).
		Set("search = CASE WHEN opening THEN setweight(to_tsvector(?::regconfig, ?), 'A') ELSE ''::tsvector END || to_tsvector(?::regconfig, body_markdown)", cfg, title, cfg).
		Where("topic_id = ?", topicID).Exec(ctx); err != nil {
		return fmt.Errorf("re-index topic %d: %w", topicID, err)
	}
	return nil
}

// AnswerOf returns the member's answer to a consultation, or ErrNotFound.
func (s *Store) AnswerOf(ctx context.Context, topicID, authorID int64) (*Post, error) {
	p := new(Post)
	if err := s.db.NewSelect().Model(p).Where("p.topic_id = ? AND p.author_id = ? AND p.answer", topicID, authorID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("answer of %d to %d: %w", authorID, topicID, notFound(err))
	}
	return p, nil
}

// HasApprovedPost reports whether the member has a post no moderator
// still has to approve, anywhere.
func (s *Store) HasApprovedPost(ctx context.Context, authorID int64) (bool, error) {
	ok, err := s.db.NewSelect().Model((*Post)(nil)).Where("author_id = ? AND NOT held", authorID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("approved posts of %d: %w", authorID, err)
	}
	return ok, nil
}

// HeldPosts returns the posts of a forum waiting for approval, oldest first.
func (s *Store) HeldPosts(ctx context.Context, forumID int64) ([]Post, error) {
	var list []Post
	if err := s.db.NewSelect().Model(&list).
		Where("p.held AND p.topic_id IN (SELECT id FROM forum_topics WHERE forum_id = ?)", forumID).
		OrderExpr("p.id").Limit(200).Scan(ctx); err != nil {
		return nil, fmt.Errorf("held posts of forum %d: %w", forumID, err)
	}
	return list, nil
}

// Revisions returns the earlier versions of a post, newest first.
func (s *Store) Revisions(ctx context.Context, postID int64) ([]Revision, error) {
	var list []Revision
	if err := s.db.NewSelect().Model(&list).Where("r.post_id = ?", postID).OrderExpr("r.id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("revisions of %d: %w", postID, err)
	}
	return list, nil
}

// ---- reactions ----

// React adds (on) or takes back a member's "+1" and keeps the post's count.
func (s *Store) React(ctx context.Context, postID, userID int64, on bool) error {
	var res interface{ RowsAffected() (int64, error) }
	var err error
	if on {
		res, err = s.db.NewRaw("INSERT INTO forum_reactions (post_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", postID, userID).Exec(ctx)
	} else {
		res, err = s.db.NewDelete().Table("forum_reactions").Where("post_id = ? AND user_id = ?", postID, userID).Exec(ctx)
	}
	if err != nil {
		return fmt.Errorf("react to %d: %w", postID, err)
	}
	n, _ := res.RowsAffected()
	if n == 0 {
		return nil
	}
	delta := 1
	if !on {
		delta = -1
	}
	if _, err := s.db.NewUpdate().Model((*Post)(nil)).Set("plus_count = plus_count + ?", delta).Where("id = ?", postID).Exec(ctx); err != nil {
		return fmt.Errorf("count reactions of %d: %w", postID, err)
	}
	return nil
}

// Reacted returns which of a topic's posts the member gave a "+1".
func (s *Store) Reacted(ctx context.Context, topicID, userID int64) (map[int64]bool, error) {
	var ids []int64
	if err := s.db.NewSelect().Table("forum_reactions").Column("post_id").
		Where("user_id = ? AND post_id IN (SELECT id FROM forum_posts WHERE topic_id = ?)", userID, topicID).Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("reactions of %d in %d: %w", userID, topicID, err)
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// ---- reports and the moderation log ----

// InsertReport stores a report; a second open report of the same post by
// the same member is ErrAlreadyReported.
func (s *Store) InsertReport(ctx context.Context, r *Report) error {
	_, err := s.db.NewInsert().Model(r).ExcludeColumn("id", "resolved_at", "resolved_by").Returning("id, created_at").Exec(ctx)
	if postgres.Code(err) == postgres.UniqueViolation {
		return fmt.Errorf("report %d: %w", r.PostID, ErrAlreadyReported)
	}
	if err != nil {
		return fmt.Errorf("report %d: %w", r.PostID, err)
	}
	return nil
}

// ResolveReports closes the open reports of a post.
func (s *Store) ResolveReports(ctx context.Context, postID, by int64, now time.Time) error {
	if _, err := s.db.NewUpdate().Model((*Report)(nil)).Set("resolved_at = ?, resolved_by = ?", now, by).
		Where("post_id = ? AND resolved_at IS NULL", postID).Exec(ctx); err != nil {
		return fmt.Errorf("resolve reports of %d: %w", postID, err)
	}
	return nil
}

// OpenReports returns the open reports of a forum's posts, oldest first.
func (s *Store) OpenReports(ctx context.Context, forumID int64) ([]Report, error) {
	var list []Report
	if err := s.db.NewSelect().Model(&list).ColumnExpr("rp.*, t.id AS topic_id, t.title AS topic_title").
		Join("JOIN forum_posts AS p ON p.id = rp.post_id").Join("JOIN forum_topics AS t ON t.id = p.topic_id").
		Where("t.forum_id = ? AND rp.resolved_at IS NULL", forumID).OrderExpr("rp.id").Limit(200).Scan(ctx); err != nil {
		return nil, fmt.Errorf("reports of forum %d: %w", forumID, err)
	}
	return list, nil
}

// Log records a moderation act.
func (s *Store) Log(ctx context.Context, e *LogEntry) error {
	if _, err := s.db.NewInsert().Model(e).ExcludeColumn("id").Exec(ctx); err != nil {
		return fmt.Errorf("log %s: %w", e.Action, err)
	}
	return nil
}

// LogOf returns a forum's latest moderation acts, newest first.
func (s *Store) LogOf(ctx context.Context, forumID int64, limit int) ([]LogEntry, error) {
	var list []LogEntry
	if err := s.db.NewSelect().Model(&list).Where("l.forum_id = ?", forumID).OrderExpr("l.id DESC").Limit(limit).Scan(ctx); err != nil {
		return nil, fmt.Errorf("log of forum %d: %w", forumID, err)
	}
	return list, nil
}

// ---- following and reading ----

// Follow makes the member follow (on) or stop following a topic.
func (s *Store) Follow(ctx context.Context, userID, topicID int64, on bool) error {
	var err error
	if on {
		_, err = s.db.NewRaw("INSERT INTO topic_follows (user_id, topic_id) VALUES (?, ?) ON CONFLICT DO NOTHING", userID, topicID).Exec(ctx)
	} else {
		_, err = s.db.NewDelete().Table("topic_follows").Where("user_id = ? AND topic_id = ?", userID, topicID).Exec(ctx)
	}
	if err != nil {
		return fmt.Errorf("follow topic %d: %w", topicID, err)
	}
	return nil
}

// FollowForum makes the member follow (on) or stop following a forum.
func (s *Store) FollowForum(ctx context.Context, userID, forumID int64, on bool) error {
	var err error
	if on {
		_, err = s.db.NewRaw("INSERT INTO forum_follows (user_id, forum_id) VALUES (?, ?) ON CONFLICT DO NOTHING", userID, forumID).Exec(ctx)
	} else {
		_, err = s.db.NewDelete().Table("forum_follows").Where("user_id = ? AND forum_id = ?", userID, forumID).Exec(ctx)
	}
	if err != nil {
		return fmt.Errorf("follow forum %d: %w", forumID, err)
	}
	return nil
}

// Follows reports whether the member follows the topic and the forum.
func (s *Store) Follows(ctx context.Context, userID, topicID, forumID int64) (topic, forum bool, err error) {
	var row struct {
		Topic bool `bun:"topic"`
		Forum bool `bun:"forum"`
	}
	err = s.db.NewRaw(`SELECT EXISTS (SELECT 1 FROM topic_follows WHERE user_id = ? AND topic_id = ?) AS topic,
		EXISTS (SELECT 1 FROM forum_follows WHERE user_id = ? AND forum_id = ?) AS forum`,
		userID, topicID, userID, forumID).Scan(ctx, &row)
	if err != nil {
		return false, false, fmt.Errorf("follows of %d: %w", userID, err)
	}
	return row.Topic, row.Forum, nil
}

// Followers returns who follows the topic or its forum.
func (s *Store) Followers(ctx context.Context, topicID, forumID int64) ([]int64, error) {
	var ids []int64
	if err := s.db.NewRaw(`SELECT user_id FROM topic_follows WHERE topic_id = ?
		UNION SELECT user_id FROM forum_follows WHERE forum_id = ? ORDER BY 1`, topicID, forumID).Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("followers of %d: %w", topicID, err)
	}
	return ids, nil
}

// ForumFollowers returns who follows the forum.
func (s *Store) ForumFollowers(ctx context.Context, forumID int64) ([]int64, error) {
	var ids []int64
	if err := s.db.NewSelect().Table("forum_follows").Column("user_id").Where("forum_id = ?", forumID).
		OrderExpr("user_id").Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("followers of forum %d: %w", forumID, err)
	}
	return ids, nil
}

// MarkRead moves the member's marker in a topic forward to postID (never
// back: an older page loaded late does not make posts unread again).
func (s *Store) MarkRead(ctx context.Context, userID, topicID, postID int64) error {
	if _, err := s.db.NewRaw(`INSERT INTO topic_reads (user_id, topic_id, last_read_post_id) VALUES (?, ?, ?)
		ON CONFLICT (user_id, topic_id) DO UPDATE SET last_read_post_id = greatest(topic_reads.last_read_post_id, excluded.last_read_post_id)`,
		userID, topicID, postID).Exec(ctx); err != nil {
		return fmt.Errorf("mark %d read: %w", topicID, err)
	}
	return nil
}

// ---- attachments ----

// InsertAttachment stores an attachment's row.
func (s *Store) InsertAttachment(ctx context.Context, a *Attachment) error {
	if _, err := s.db.NewInsert().Model(a).ExcludeColumn("id").Returning("id, created_at").Exec(ctx); err != nil {
		return fmt.Errorf("insert attachment: %w", err)
	}
	return nil
}

// Attachment returns the attachment with id.
func (s *Store) Attachment(ctx context.Context, id int64) (*Attachment, error) {
	a := new(Attachment)
	if err := s.db.NewSelect().Model(a).Where("a.id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("attachment %d: %w", id, notFound(err))
	}
	return a, nil
}

// Attachments returns the attachments of a topic's posts, by post.
func (s *Store) Attachments(ctx context.Context, topicID int64) (map[int64][]Attachment, error) {
	var list []Attachment
	if err := s.db.NewSelect().Model(&list).
		Where("a.post_id IN (SELECT id FROM forum_posts WHERE topic_id = ?)", topicID).OrderExpr("a.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("attachments of %d: %w", topicID, err)
	}
	out := map[int64][]Attachment{}
	for _, a := range list {
		out[a.PostID] = append(out[a.PostID], a)
	}
	return out, nil
}

// BlobsInUse reports which of the content hashes an attachment refers to.
func (s *Store) BlobsInUse(ctx context.Context, sums []string) (map[string]bool, error) {
	used, err := courses.BlobsReferencedBy(ctx, s.db.NewSelect().Model((*Attachment)(nil)), "sha256", sums)
	if err != nil {
		return nil, fmt.Errorf("attachments in use: %w", err)
	}
	return used, nil
}

// TopicIDByTitle returns the id of the oldest topic titled title in the
// forum, 0 if none.
func (s *Store) TopicIDByTitle(ctx context.Context, forumID int64, title string) (int64, error) {
	var ids []int64
	err := s.db.NewSelect().Model((*Topic)(nil)).Column("t.id").Where("t.forum_id = ? AND t.title = ?", forumID, title).
		OrderExpr("t.id").Limit(1).Scan(ctx, &ids)
	if err != nil {
		return 0, fmt.Errorf("topic %q in forum %d: %w", title, forumID, err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}
