// Package community owns the conversation between the network's members:
// forums (one per course, one per event, and one network-wide forum per
// language), their topics — discussions, questions with an accepted
// answer, and consultations that ask every member for one answer before a
// closing date and end with a synthesis — the posts and one level of
// replies in them, "+1" reactions, edit history, attachments, reports and
// moderation (hide, restore, approve held posts, lock, pin, move, all
// logged), following, unread markers and search.
//
// Who may read a forum is not decided here but by the forum's place: a
// course's forum is for those who may read the course's modules and is
// moderated by its teachers (package courses decides both); an event's
// forum is for its participants and organisers, through the EventForums
// the wiring gives; the network forums are for every signed-in member.
// Admins and the members an admin names moderator moderate every forum
// they may read. Every method takes the courses.Actor asking.
//
// Notifications (a reply to a followed topic, a mention, an accepted
// answer, a new consultation, a moderation decision) leave through the
// Notifier the wiring gives, inside the transaction of the write that
// causes them, and only ever to members who may read the forum.
//
// It knows nothing of HTTP. Markdown goes through courses.RenderMarkdown,
// the sanitiser of modules; attachments through courses.CheckUpload, the
// check of course files, and the same blob store.
package community
