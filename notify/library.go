package notify

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/library"
)

// The notices of the knowledge library (topic "library"): a librarian's
// decision on a member's submission, a kind per decision, so the bell
// words it in the reader's language.
const (
	KindLibraryAccepted = "library_accepted"
	KindLibraryChanges  = "library_changes"
	KindLibraryDeclined = "library_declined"
	// kindLibraryPrefix starts every kind of the library topic.
	kindLibraryPrefix = "library_"
)

// libraryKinds are the decisions a member is told of.
var libraryKinds = map[library.SubmissionStatus]string{
	library.SubmissionAccepted:         KindLibraryAccepted,
	library.SubmissionChangesRequested: KindLibraryChanges,
	library.SubmissionDeclined:         KindLibraryDeclined,
}

// LibraryNotifier tells members what a librarian decided about their
// submission (accepted, changes asked for, declined): an in-app notice
// and, as the member's "library" preference says, a mail at once, a
// digest line or nothing more, linking to the submission. wiring makes
// it the library service's Notifier.
func (s *Service) LibraryNotifier() library.Notifier { return libraryNotifier{s} }

type libraryNotifier struct{ s *Service }

// SubmissionReviewed writes the notice of r in tx, the decision's
// transaction, so it commits with the decision or not at all.
func (ln libraryNotifier) SubmissionReviewed(ctx context.Context, tx bun.IDB, r library.Review) error {
	sub := r.Submission
	if sub.SubmittedBy == nil {
		return nil // the member's account was deleted: nobody to tell
	}
	kind, ok := libraryKinds[sub.Status]
	if !ok {
		return fmt.Errorf("notify: submission %d: no notice for status %q", sub.ID, sub.Status)
	}
	out := notice{kind: kind, args: []string{sub.Title}, link: "/library/submissions/" + strconv.FormatInt(sub.ID, 10)}
	note := strings.TrimSpace(sub.Note)
	out.more = func(l *letter, t tr, _ accounts.User) {
		// The librarian's own words, and the published item: the mail's,
		// not the bell's one line.
		if note != "" {
			l.Paragraphs = append(l.Paragraphs, t.T("notify.library.note", note))
		}
		if sub.ItemID != nil {
			l.Items = append(l.Items, letterItem{Title: t.T("notify.library.item", sub.Title),
				URL: ln.s.link("/library/items/" + strconv.FormatInt(*sub.ItemID, 10))})
		}
	}
	if err := ln.s.deliver(ctx, tx, []int64{*sub.SubmittedBy}, out); err != nil {
		return fmt.Errorf("notify: %s notice of submission %d: %w", kind, sub.ID, err)
	}
	return nil
}
