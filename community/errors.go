package community

import (
	"database/sql"
	"errors"
)

// Errors the web layer maps to statuses and translated messages.
var (
	// ErrNotFound: no such forum, topic, post or file — or one the caller
	// may not read, which is told the same way.
	ErrNotFound = errors.New("community: not found")
	// ErrForbidden: the caller may read this but not do that to it.
	ErrForbidden = errors.New("community: not allowed")
	// ErrLocked: a moderator locked the topic; only moderators write in it.
	ErrLocked = errors.New("community: topic locked")
	// ErrAlreadyAnswered: the member has answered this consultation; the
	// answer is edited, not given twice.
	ErrAlreadyAnswered = errors.New("community: consultation already answered")
	// ErrClosed: the consultation's closing date has passed; its answers
	// are read-only.
	ErrClosed = errors.New("community: consultation closed")
	// ErrNotClosed: a synthesis is published once the consultation closes.
	ErrNotClosed = errors.New("community: consultation still open")
	// ErrAlreadyReported: the member's earlier report of this post is
	// still open.
	ErrAlreadyReported = errors.New("community: already reported")
	// ErrInvalidTitle: a topic's title is empty or longer than MaxTitleLen.
	ErrInvalidTitle = errors.New("community: invalid title")
	// ErrInvalidBody: a post is empty or longer than MaxBodyLen.
	ErrInvalidBody = errors.New("community: invalid body")
	// ErrInvalidKind: a topic's kind is not discussion, question or
	// consultation, or only staff may open this kind.
	ErrInvalidKind = errors.New("community: invalid topic kind")
	// ErrInvalidClosesAt: a consultation needs a closing date in the
	// future; other topics take none.
	ErrInvalidClosesAt = errors.New("community: invalid closing date")
	// ErrInvalidOptions: a consultation's options are not 2 to MaxOptions
	// distinct labels of 1 to MaxOptionLen characters, or a topic that is
	// not a consultation has options.
	ErrInvalidOptions = errors.New("community: invalid options")
	// ErrInvalidOption: the chosen option is not one of the consultation's.
	ErrInvalidOption = errors.New("community: invalid option")
	// ErrInvalidParent: a reply names a post that is not a post (not a
	// reply) of the same topic, or replies to a consultation's answer.
	ErrInvalidParent = errors.New("community: invalid parent post")
	// ErrNotAcceptable: the accepted answer must be a post (not the
	// question itself, not a reply) of a question topic.
	ErrNotAcceptable = errors.New("community: post cannot be accepted")
	// ErrInvalidReason: a report needs a reason of 1 to MaxReasonLen
	// characters; a moderation act's reason may be empty but not longer.
	ErrInvalidReason = errors.New("community: invalid reason")
	// ErrInvalidMove: a topic moves only to another forum its moderator
	// also moderates.
	ErrInvalidMove = errors.New("community: invalid move")
	// ErrFileType: an attachment is not an image or a PDF.
	ErrFileType = errors.New("community: attachment type not allowed")
	// ErrInvalidSettings: a community setting is out of range.
	ErrInvalidSettings = errors.New("community: invalid settings")
)

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
