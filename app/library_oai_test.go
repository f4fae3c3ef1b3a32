package app_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/library"
)

// validOAI checks an answer against the OAI-PMH and oai_dc schemas
// (testdata/oai) with xmllint, offline.
func validOAI(t *testing.T, name, body string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "answer.xml")
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", "--noout", "--nonet", "--schema", "testdata/oai/harvest.xsd", file).CombinedOutput()
	if err != nil {
		t.Errorf("%s is not valid OAI-PMH: %v\n%s\n%s", name, err, out, body)
	}
}

// oaiAnswer is what the tests read of an OAI-PMH answer.
type oaiAnswer struct {
	Request struct {
		Verb string `xml:"verb,attr"`
	} `xml:"request"`
	Errors []struct {
		Code string `xml:"code,attr"`
	} `xml:"error"`
	Headers []struct {
		Status     string `xml:"status,attr"`
		Identifier string `xml:"identifier"`
	} `xml:"ListIdentifiers>header"`
	Token struct {
		Value string `xml:",chardata"`
		Size  int    `xml:"completeListSize,attr"`
	} `xml:"ListIdentifiers>resumptionToken"`
	Records []struct {
		Header struct {
			Status string `xml:"status,attr"`
		} `xml:"header"`
		Titles []string `xml:"metadata>dc>title"`
	} `xml:"GetRecord>record"`
}

func (e *env) oai(t *testing.T, name, query string) oaiAnswer {
	t.Helper()
	res := e.api(http.MethodGet, "/oai?"+query, "", nil)
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
		t.Errorf("%s: content type %q", name, ct)
	}
	validOAI(t, name, res.body)
	var a oaiAnswer
	if err := xml.Unmarshal([]byte(res.body), &a); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return a
}

func TestOAIPMHAnswersValidateAndPage(t *testing.T) {
	e, svc := newInstallation(t, installation{})
	ctx := context.Background()
	admin := e.user(accounts.RoleAdmin)
	// Records of other tests are older than the next full second.
	start := time.Now().UTC().Truncate(time.Second).Add(time.Second)
	time.Sleep(time.Until(start))
	from := start.Format("2006-01-02T15:04:05Z")
	var last *library.Item
	for i := range 105 {
		p := library.ItemParams{Type: library.TypeReport, Title: "Relatório nº " + itoa(int64(i)) + " — Proteção & «segurança» <social>",
			Abstract: "Resumo.", Language: "pt", Countries: []string{"MZ"}, Year: 2020, Authors: []string{"João Conceição"},
			Translations: []library.TranslationParams{{Language: "en", Title: "Report"}}, Licence: "CC BY 4.0", URL: "https://example.org/r"}
		it, err := svc.Library.CreateItem(ctx, admin, p)
		if err != nil {
			t.Fatal(err)
		}
		if last, err = svc.Library.Publish(ctx, admin, it.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Library.Withdraw(ctx, admin, last.ID); err != nil {
		t.Fatal(err)
	}
	draft, err := svc.Library.CreateItem(ctx, admin, library.ItemParams{Type: library.TypeReport, Title: "Rascunho", Language: "pt", Year: 2020})
	if err != nil {
		t.Fatal(err)
	}

	e.oai(t, "Identify", "verb=Identify")
	e.oai(t, "ListMetadataFormats", "verb=ListMetadataFormats")
	e.oai(t, "ListSets", "verb=ListSets")

	first := e.oai(t, "ListIdentifiers", "verb=ListIdentifiers&metadataPrefix=oai_dc&from="+from)
	if len(first.Headers) != 100 || first.Token.Value == "" || first.Token.Size != 105 {
		t.Fatalf("first page: %d headers, token %q of %d", len(first.Headers), first.Token.Value, first.Token.Size)
	}
	second := e.oai(t, "ListIdentifiers resumed", "verb=ListIdentifiers&resumptionToken="+url.QueryEscape(first.Token.Value))
	if len(second.Headers) != 5 || second.Token.Value != "" {
		t.Fatalf("second page: %d headers, token %q", len(second.Headers), second.Token.Value)
	}
	if second.Headers[4].Status != "deleted" {
		t.Errorf("the withdrawn item is not a deleted record: %+v", second.Headers[4])
	}
	seen := map[string]bool{}
	for _, h := range append(first.Headers, second.Headers...) {
		if seen[h.Identifier] {
			t.Fatalf("%s listed twice", h.Identifier)
		}
		seen[h.Identifier] = true
	}
	e.oai(t, "ListRecords", "verb=ListRecords&metadataPrefix=oai_dc&from="+from)

	id := "oai:aula.test:library/" + itoa(last.ID-1)
	got := e.oai(t, "GetRecord", "verb=GetRecord&metadataPrefix=oai_dc&identifier="+url.QueryEscape(id))
	if len(got.Records) != 1 || len(got.Records[0].Titles) != 2 || !strings.Contains(got.Records[0].Titles[0], "«segurança» <social>") {
		t.Fatalf("GetRecord: %+v", got.Records)
	}
	gone := e.oai(t, "GetRecord deleted", "verb=GetRecord&metadataPrefix=oai_dc&identifier="+url.QueryEscape("oai:aula.test:library/"+itoa(last.ID)))
	if len(gone.Records) != 1 || gone.Records[0].Header.Status != "deleted" || len(gone.Records[0].Titles) != 0 {
		t.Fatalf("deleted record: %+v", gone.Records)
	}

	for _, c := range []struct{ name, query, code string }{
		{"no verb", "", "badVerb"},
		{"unknown verb", "verb=ListEverything", "badVerb"},
		{"repeated verb", "verb=Identify&verb=Identify", "badVerb"},
		{"argument Identify does not take", "verb=Identify&set=pensions", "badArgument"},
		{"ListRecords without a prefix", "verb=ListRecords", "badArgument"},
		{"repeated argument", "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument"},
		{"malformed from", "verb=ListRecords&metadataPrefix=oai_dc&from=yesterday", "badArgument"},
		{"mixed granularities", "verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2021-01-01T00:00:00Z", "badArgument"},
		{"token with other arguments", "verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=x", "badArgument"},
		{"unknown format", "verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"},
		{"unknown format of a record", "verb=GetRecord&metadataPrefix=marc21&identifier=" + url.QueryEscape(id), "cannotDisseminateFormat"},
		{"made-up token", "verb=ListIdentifiers&resumptionToken=bm90LWEtdG9rZW4", "badResumptionToken"},
		{"token of another verb", "verb=ListRecords&resumptionToken=" + url.QueryEscape(first.Token.Value), "badResumptionToken"},
		{"unknown identifier", "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere:1", "idDoesNotExist"},
		{"a draft", "verb=GetRecord&metadataPrefix=oai_dc&identifier=" + url.QueryEscape("oai:aula.test:library/"+itoa(draft.ID)), "idDoesNotExist"},
		{"nothing in the future", "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2199-01-01", "noRecordsMatch"},
		{"unknown set", "verb=ListIdentifiers&metadataPrefix=oai_dc&set=no-such-theme", "noRecordsMatch"},
	} {
		a := e.oai(t, c.name, c.query)
		if len(a.Errors) != 1 || a.Errors[0].Code != c.code {
			t.Errorf("%s: errors %+v, want %s", c.name, a.Errors, c.code)
		}
		if (c.code == "badVerb" || c.code == "badArgument") && a.Request.Verb != "" {
			t.Errorf("%s: the request element repeats the arguments", c.name)
		}
	}
	// Harvesters may POST their arguments.
	res := e.api(http.MethodPost, "/oai", "", "verb=Identify", "Content-Type", "application/x-www-form-urlencoded")
	wantStatus(t, res, http.StatusOK)
	validOAI(t, "POST Identify", res.body)
}

func TestAtomFeedListsNewItems(t *testing.T) {
	le := newLibraryEnv(t)
	it := le.create(map[string]any{"type": "publication", "title": "Pisos de proteção social " + unique("q"), "abstract": "Resumo & notas.",
		"language": "pt", "year": 2025, "themes": []float64{le.pensionsID}, "authors": []string{"Ana Peña"}}, true)
	le.create(map[string]any{"type": "publication", "title": "Rascunho não publicado", "language": "pt", "year": 2025}, false)
	b := le.browser()
	b.lang = "es"
	res := b.get("/library/feed.atom")
	wantStatus(t, res, http.StatusOK)
	var feed struct {
		Title   string `xml:"title"`
		Entries []struct {
			ID       string `xml:"id"`
			Title    string `xml:"title"`
			Category []struct {
				Label string `xml:"label,attr"`
			} `xml:"category"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(res.body), &feed); err != nil {
		t.Fatal(err)
	}
	if feed.Title != "Novedades de la biblioteca de Aula" || len(feed.Entries) == 0 {
		t.Fatalf("feed %+v", feed)
	}
	e := feed.Entries[0]
	if e.ID != it.PageURL || e.Title != it.Title || len(e.Category) != 1 || e.Category[0].Label != "Pensiones" {
		t.Errorf("newest entry %+v, want %q", e, it.Title)
	}
	if strings.Contains(res.body, "Rascunho não publicado") {
		t.Error("a draft is in the feed")
	}
}
