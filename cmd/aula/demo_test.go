package main

import (
	"context"
	"slices"
	"testing"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/community"
	"github.com/aula-platform/aula/courses"
	"github.com/aula-platform/aula/events"
	"github.com/aula-platform/aula/exchange"
	"github.com/aula-platform/aula/library"
)

// TestSeedDemoFillsEverySection: a new installation with the demo content
// shows a library that finds its items the way readers type, a seminar to
// come open for registration and a closed workshop, a forum conversation
// and an open consultation, and an exchange whose offers drew interest;
// seeding again adds nothing.
func TestSeedDemoFillsEverySection(t *testing.T) {
	ctx := context.Background()
	db, dsn := openNewDatabase(t)
	cfg := withConfig(t, "AULA_DATABASE_URL", dsn, "AULA_DATA_DIR", t.TempDir())
	svc, err := newServices(ctx, db, cfg, discard)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seedDemo(ctx, svc, cfg.BaseURL); err == nil {
		t.Fatal("seeded the demo with no admin to act as")
	}
	admin, err := svc.Accounts.CreateUser(ctx, accounts.CreateUserParams{Email: "admin@demo.test", Name: "Ana Conceição",
		Password: "tres tigres tristes en el trigal", Role: accounts.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	report, err := seedDemo(ctx, svc, cfg.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	if report.Items != 8 || report.Events != 2 || report.Topics != 2 || report.Exchanges != 1 {
		t.Fatalf("first run created %d items, %d events, %d topics, %d exchanges", report.Items, report.Events, report.Topics, report.Exchanges)
	}
	users := accounts.NewStore(db)
	teacher, err := users.UserByEmail(ctx, courses.DemoTeacherEmail)
	if err != nil {
		t.Fatal(err)
	}
	learner, err := users.UserByEmail(ctx, courses.DemoLearnerEmail)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("library", func(t *testing.T) {
		for q, want := range map[string]string{
			"pensionistas":     "Prova de vida digital: como verificar os pensionistas sem os obrigar a deslocar-se",
			"previdencia":      "Cabo Verde: inscrição dos trabalhadores por conta própria na previdência social",
			"CONCEIÇÃO":        "Interoperabilidade dos registos de segurança social: lições de Portugal e do Brasil",
			"personas mayores": "Bolivia: la Renta Dignidad y el pago a personas mayores en zonas rurales",
			"pessoas idosas":   "Bolivia: la Renta Dignidad y el pago a personas mayores en zonas rurales",
			"informal workers": "Extending health insurance to informal workers: contributory and subsidised schemes compared",
		} {
			res, err := svc.Library.Search(ctx, library.Query{Text: q, PortugueseFirst: true, Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(res.Items, func(it library.Item) bool { return it.Title == want }) {
				t.Errorf("searching %q did not find %q", q, want)
			}
		}
		all, err := svc.Library.Search(ctx, library.Query{PortugueseFirst: true, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if all.Total != 8 || all.Items[0].Language != "pt" {
			t.Errorf("the library shows %d items, the first in %q", all.Total, all.Items[0].Language)
		}
		count := func(list []library.FacetValue, v string) int {
			if i := slices.IndexFunc(list, func(f library.FacetValue) bool { return f.Value == v }); i >= 0 {
				return list[i].Count
			}
			return 0
		}
		if count(all.Facets.Language, "pt") < 5 || count(all.Facets.Language, "es") == 0 || count(all.Facets.Language, "en") == 0 ||
			count(all.Facets.Country, "MZ") == 0 || count(all.Facets.Theme, "informal-economy") < 2 ||
			count(all.Facets.Type, string(library.TypeExperience)) < 3 {
			t.Errorf("facets %+v", all.Facets)
		}
	})

	t.Run("events", func(t *testing.T) {
		list, _, err := svc.Events.List(ctx, events.ListQuery{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 {
			t.Fatalf("%d events listed", len(list))
		}
		seminar, workshop := list[0], list[1]
		now := svc.Events.Now()
		if seminar.Kind != events.KindSeminar || seminar.Status != events.StatusPublished || len(seminar.Sessions) != 2 ||
			!seminar.Sessions[0].StartsAt.After(now) {
			t.Errorf("first listed: %s %s with %d sessions", seminar.Kind, seminar.Status, len(seminar.Sessions))
		}
		r, err := svc.Events.Register(ctx, courses.ActorFor(learner), seminar.ID)
		if err != nil || r.Status != events.Registered {
			t.Errorf("the learner registering for the seminar: %+v, %v", r, err)
		}
		if workshop.Kind != events.KindWorkshop || workshop.Status != events.StatusClosed || len(workshop.Sessions) != 2 ||
			!workshop.Sessions[1].EndsAt.Before(now) || workshop.CertificatesIssued == nil || *workshop.CertificatesIssued != 1 {
			t.Errorf("second listed: %s %s, certificates %v", workshop.Kind, workshop.Status, workshop.CertificatesIssued)
		}
	})

	t.Run("community", func(t *testing.T) {
		topicIn := func(reader *accounts.User, language string, kind community.Kind) *community.TopicDetail {
			t.Helper()
			f, err := svc.Community.NetworkForum(ctx, courses.ActorFor(reader), language)
			if err != nil {
				t.Fatal(err)
			}
			list, err := svc.Community.Topics(ctx, courses.ActorFor(reader), f.Forum.ID, community.TopicFilter{Kind: kind, Limit: 10})
			if err != nil || len(list.Topics) != 1 {
				t.Fatalf("%s topics in the %s forum: %v", kind, language, err)
			}
			d, err := svc.Community.Topic(ctx, courses.ActorFor(reader), list.Topics[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		d := topicIn(teacher, "pt", community.KindDiscussion)
		if len(d.Posts) != 2 || len(d.Posts[1].Replies) != 1 || *d.Posts[1].Replies[0].AuthorID != learner.ID {
			t.Errorf("discussion %q: %d posts", d.Topic.Title, len(d.Posts))
		}
		c := topicIn(learner, "es", community.KindConsultation)
		if c.Closed || len(c.Options) != 4 || c.MyAnswer == nil {
			t.Errorf("consultation %q: closed %v, %d options, learner's answer %v", c.Topic.Title, c.Closed, len(c.Options), c.MyAnswer)
		}
	})

	t.Run("exchange", func(t *testing.T) {
		mine, err := svc.Exchange.Exchanges(ctx, courses.ActorFor(learner))
		if err != nil || len(mine) != 1 {
			t.Fatalf("the learner, a delegate, takes part in %d exchanges: %v", len(mine), err)
		}
		m, err := svc.Exchange.Matrix(ctx, courses.ActorFor(admin), mine[0].ID, exchange.MatrixFilter{Theme: "coverage-extension"})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Offers) != 2 || len(m.Cells) != 2 {
			t.Fatalf("the matrix of coverage-extension has %d offers and %d interests", len(m.Offers), len(m.Cells))
		}
		for _, o := range m.Offers {
			if o.Interests != 1 {
				t.Errorf("offer %q drew %d interests", o.Offer.Title, o.Interests)
			}
		}
	})

	again, err := seedDemo(ctx, svc, cfg.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Empty() {
		t.Errorf("second run created %+v", again)
	}
}
