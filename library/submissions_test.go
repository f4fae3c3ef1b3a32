package library_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/library"
)

// notices records the decisions the library tells members about.
type notices struct {
	mu   sync.Mutex
	seen []library.Review
	fail error
}

func (n *notices) SubmissionReviewed(_ context.Context, _ bun.IDB, r library.Review) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.fail != nil {
		return n.fail
	}
	n.seen = append(n.seen, r)
	return nil
}

func TestSubmissionAcceptedBecomesAnItemCreditingTheInstitution(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	n := &notices{}
	e.lib.SetNotifier(n)
	member := e.user(accounts.RoleLearner)
	lib := e.librarian()
	tag := unique("z")
	sub, err := e.lib.Submit(ctx, member, params("Cantinas escolares "+tag))
	if err != nil {
		t.Fatal(err)
	}
	if sub.Status != library.SubmissionPending || *sub.InstitutionID != *member.InstitutionID {
		t.Fatalf("submitted %+v", sub)
	}
	if _, err := e.lib.Accept(ctx, member, sub.ID, ""); !errors.Is(err, library.ErrForbidden) {
		t.Fatalf("a member accepts: %v", err)
	}
	if _, err := e.lib.RequestChanges(ctx, lib, sub.ID, " "); !errors.Is(err, library.ErrNoteRequired) {
		t.Fatalf("changes without saying which: %v", err)
	}
	if sub, err = e.lib.RequestChanges(ctx, lib, sub.ID, "Falta o ano de início."); err != nil || sub.Status != library.SubmissionChangesRequested {
		t.Fatalf("request changes: %+v %v", sub, err)
	}
	p := params("Cantinas escolares em Moçambique " + tag)
	p.Year = 2019
	if sub, err = e.lib.Resubmit(ctx, member, sub.ID, p); err != nil || sub.Status != library.SubmissionPending {
		t.Fatalf("resubmit: %+v %v", sub, err)
	}
	if sub, err = e.lib.Accept(ctx, lib, sub.ID, "Obrigado!"); err != nil {
		t.Fatal(err)
	}
	it, err := e.lib.Item(ctx, nil, *sub.ItemID)
	if err != nil {
		t.Fatalf("the accepted item is not public: %v", err)
	}
	if it.Title != p.Title || it.Year != 2019 || it.InstitutionID == nil || *it.InstitutionID != *member.InstitutionID {
		t.Fatalf("item %+v", it)
	}
	if res := e.search(library.Query{Text: tag}); res.Total != 1 {
		t.Fatalf("the accepted item is not found: %d", res.Total)
	}
	if _, err := e.lib.Decline(ctx, lib, sub.ID, ""); !errors.Is(err, library.ErrInvalidTransition) {
		t.Fatalf("decline an accepted submission: %v", err)
	}
	if len(n.seen) != 2 || n.seen[0].Submission.Status != library.SubmissionChangesRequested ||
		n.seen[1].Submission.Status != library.SubmissionAccepted || n.seen[1].ReviewerID != lib.ID {
		t.Fatalf("notices %+v", n.seen)
	}
	mine, librarian, err := e.lib.Submissions(ctx, member, "")
	if err != nil || librarian || len(mine) != 1 || mine[0].Note != "Obrigado!" {
		t.Fatalf("the member's list: %+v %v %v", mine, librarian, err)
	}
	if _, err := e.lib.Submission(ctx, e.user(accounts.RoleLearner), sub.ID); !errors.Is(err, library.ErrNotFound) {
		t.Fatalf("another member sees the submission: %v", err)
	}
}

func TestFailedNoticeUndoesTheDecision(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	n := &notices{fail: errors.New("mail queue down")}
	e.lib.SetNotifier(n)
	tag := unique("z")
	sub, err := e.lib.Submit(ctx, e.user(accounts.RoleLearner), params("Não publicado "+tag))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.lib.Accept(ctx, e.librarian(), sub.ID, ""); err == nil {
		t.Fatal("accepted although the member could not be told")
	}
	if res := e.search(library.Query{Text: tag}); res.Total != 0 {
		t.Fatal("the item of an undone acceptance is in the library")
	}
	again, err := e.lib.Submission(ctx, e.librarian(), sub.ID)
	if err != nil || again.Status != library.SubmissionPending {
		t.Fatalf("after the failed notice: %+v %v", again, err)
	}
}

func TestSubmissionsAreCheckedAsItems(t *testing.T) {
	e := newEnv(t)
	p := params("Sem país válido")
	p.Countries = []string{"Moçambique"}
	_, err := e.lib.Submit(context.Background(), e.user(accounts.RoleLearner), p)
	if !errors.Is(err, library.ErrInvalidCountry) {
		t.Fatalf("submit with a country name: %v", err)
	}
	u := e.user(accounts.RoleLearner)
	u.InstitutionID = nil
	if _, err := e.lib.Submit(context.Background(), u, params("Sem instituição")); !errors.Is(err, library.ErrNoInstitution) {
		t.Fatalf("submit without institution: %v", err)
	}
}
