package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/library"
)

// OAI-PMH 2.0 at /oai (http://www.openarchives.org/OAI/openarchivesprotocol.html):
// the library's records in unqualified Dublin Core (oai_dc), sets by
// theme, withdrawn items as deleted records (deletedRecord "persistent"),
// datestamps to the second, lists in pages of oaiPageSize with resumption
// tokens. Every error is answered with the protocol's own code, in a
// 200 answer as the protocol wants.

const (
	oaiNamespace   = "http://www.openarchives.org/OAI/2.0/"
	oaiSchema      = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
	oaiDCNamespace = "http://www.openarchives.org/OAI/2.0/oai_dc/"
	oaiDCSchema    = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
	dcNamespace    = "http://purl.org/dc/elements/1.1/"
	xsiNamespace   = "http://www.w3.org/2001/XMLSchema-instance"
	oaiPageSize    = 100
	oaiTimeFormat  = "2006-01-02T15:04:05Z"
)

type oaiResponse struct {
	XMLName        xml.Name   `xml:"OAI-PMH"`
	Xmlns          string     `xml:"xmlns,attr"`
	XSI            string     `xml:"xmlns:xsi,attr"`
	SchemaLocation string     `xml:"xsi:schemaLocation,attr"`
	ResponseDate   string     `xml:"responseDate"`
	Request        oaiRequest `xml:"request"`
	Errors         []oaiError `xml:"error,omitempty"`
	Body           any
}

type oaiRequest struct {
	Verb            string `xml:"verb,attr,omitempty"`
	Identifier      string `xml:"identifier,attr,omitempty"`
	MetadataPrefix  string `xml:"metadataPrefix,attr,omitempty"`
	From            string `xml:"from,attr,omitempty"`
	Until           string `xml:"until,attr,omitempty"`
	Set             string `xml:"set,attr,omitempty"`
	ResumptionToken string `xml:"resumptionToken,attr,omitempty"`
	BaseURL         string `xml:",chardata"`
}

type oaiError struct {
	Code    string `xml:"code,attr"`
	Message string `xml:",chardata"`
}

func (e *oaiError) Error() string { return e.Code + ": " + e.Message }

func oaiErr(code, msg string) *oaiError { return &oaiError{Code: code, Message: msg} }

type oaiIdentify struct {
	XMLName           xml.Name `xml:"Identify"`
	RepositoryName    string   `xml:"repositoryName"`
	BaseURL           string   `xml:"baseURL"`
	ProtocolVersion   string   `xml:"protocolVersion"`
	AdminEmail        string   `xml:"adminEmail"`
	EarliestDatestamp string   `xml:"earliestDatestamp"`
	DeletedRecord     string   `xml:"deletedRecord"`
	Granularity       string   `xml:"granularity"`
}

type oaiMetadataFormat struct {
	Prefix    string `xml:"metadataPrefix"`
	Schema    string `xml:"schema"`
	Namespace string `xml:"metadataNamespace"`
}

type oaiListMetadataFormats struct {
	XMLName xml.Name            `xml:"ListMetadataFormats"`
	Formats []oaiMetadataFormat `xml:"metadataFormat"`
}

type oaiSet struct {
	Spec string `xml:"setSpec"`
	Name string `xml:"setName"`
}

type oaiListSets struct {
	XMLName xml.Name `xml:"ListSets"`
	Sets    []oaiSet `xml:"set"`
}

type oaiHeader struct {
	Status     string   `xml:"status,attr,omitempty"`
	Identifier string   `xml:"identifier"`
	Datestamp  string   `xml:"datestamp"`
	SetSpecs   []string `xml:"setSpec"`
}

type oaiRecord struct {
	Header   oaiHeader    `xml:"header"`
	Metadata *oaiMetadata `xml:"metadata,omitempty"`
}

type oaiMetadata struct {
	DC oaiDC `xml:"oai_dc:dc"`
}

// oaiDC is an item in unqualified Dublin Core.
type oaiDC struct {
	XmlnsOAIDC     string    `xml:"xmlns:oai_dc,attr"`
	XmlnsDC        string    `xml:"xmlns:dc,attr"`
	XmlnsXSI       string    `xml:"xmlns:xsi,attr"`
	SchemaLocation string    `xml:"xsi:schemaLocation,attr"`
	Title          []dcValue `xml:"dc:title"`
	Creator        []dcValue `xml:"dc:creator"`
	Subject        []dcValue `xml:"dc:subject"`
	Description    []dcValue `xml:"dc:description"`
	Publisher      []dcValue `xml:"dc:publisher"`
	Date           []dcValue `xml:"dc:date"`
	Type           []dcValue `xml:"dc:type"`
	Format         []dcValue `xml:"dc:format"`
	Identifier     []dcValue `xml:"dc:identifier"`
	Language       []dcValue `xml:"dc:language"`
	Relation       []dcValue `xml:"dc:relation"`
	Coverage       []dcValue `xml:"dc:coverage"`
	Rights         []dcValue `xml:"dc:rights"`
}

type dcValue struct {
	Lang  string `xml:"xml:lang,attr,omitempty"`
	Value string `xml:",chardata"`
}

type oaiResumptionToken struct {
	Token            string `xml:",chardata"`
	CompleteListSize int    `xml:"completeListSize,attr,omitempty"`
	Cursor           int    `xml:"cursor,attr"`
}

type oaiListIdentifiers struct {
	XMLName xml.Name            `xml:"ListIdentifiers"`
	Headers []oaiHeader         `xml:"header"`
	Token   *oaiResumptionToken `xml:"resumptionToken,omitempty"`
}

type oaiListRecords struct {
	XMLName xml.Name            `xml:"ListRecords"`
	Records []oaiRecord         `xml:"record"`
	Token   *oaiResumptionToken `xml:"resumptionToken,omitempty"`
}

type oaiGetRecord struct {
	XMLName xml.Name  `xml:"GetRecord"`
	Record  oaiRecord `xml:"record"`
}

// oaiArguments are the arguments each verb takes: required, optional,
// and exclusive (resumptionToken, alone).
var oaiArguments = map[string]struct{ required, optional, exclusive []string }{
	"Identify":            {},
	"ListMetadataFormats": {optional: []string{"identifier"}},
	"ListSets":            {exclusive: []string{"resumptionToken"}},
	"GetRecord":           {required: []string{"identifier", "metadataPrefix"}},
	"ListIdentifiers":     {required: []string{"metadataPrefix"}, optional: []string{"from", "until", "set"}, exclusive: []string{"resumptionToken"}},
	"ListRecords":         {required: []string{"metadataPrefix"}, optional: []string{"from", "until", "set"}, exclusive: []string{"resumptionToken"}},
}

// oai answers GET and POST /oai.
func (s *server) oai(c *fiber.Ctx) error {
	args, err := oaiArgs(c)
	res := oaiResponse{Xmlns: oaiNamespace, XSI: xsiNamespace, SchemaLocation: oaiNamespace + " " + oaiSchema,
		ResponseDate: s.now().UTC().Format(oaiTimeFormat), Request: oaiRequest{BaseURL: s.cfg.BaseURL + "/oai"}}
	if err == nil {
		err = checkOAIArgs(args)
	}
	if err == nil {
		// The protocol wants the arguments echoed, except with badVerb
		// and badArgument (then the request element is bare).
		res.Request = oaiRequest{Verb: args["verb"], Identifier: args["identifier"], MetadataPrefix: args["metadataPrefix"],
			From: args["from"], Until: args["until"], Set: args["set"], ResumptionToken: args["resumptionToken"], BaseURL: res.Request.BaseURL}
		res.Body, err = s.oaiVerb(c.UserContext(), args)
	}
	var oe *oaiError
	if errors.As(err, &oe) {
		res.Body = nil
		res.Errors = []oaiError{*oe}
		if oe.Code == "badVerb" || oe.Code == "badArgument" {
			res.Request = oaiRequest{BaseURL: res.Request.BaseURL}
		}
	} else if err != nil {
		return err
	}
	out, err := xml.Marshal(res)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/xml; charset=utf-8")
	return c.Send(append([]byte(xml.Header), out...))
}

// oaiArgs reads the request's arguments (query string for GET, form for
// POST); an argument given twice is an error.
func oaiArgs(c *fiber.Ctx) (map[string]string, error) {
	raw := string(c.Context().QueryArgs().QueryString())
	if c.Method() == fiber.MethodPost {
		raw = string(c.Body())
	}
	values, err := url.ParseQuery(raw)
	if err != nil {
		return nil, oaiErr("badArgument", "The request cannot be read.")
	}
	args := map[string]string{}
	for k, v := range values {
		if len(v) != 1 {
			if k == "verb" {
				return nil, oaiErr("badVerb", "The verb is repeated.")
			}
			return nil, oaiErr("badArgument", "The argument "+k+" is repeated.")
		}
		args[k] = v[0]
	}
	return args, nil
}

func checkOAIArgs(args map[string]string) error {
	verb, ok := args["verb"]
	if !ok {
		return oaiErr("badVerb", "The verb argument is missing.")
	}
	spec, ok := oaiArguments[verb]
	if !ok {
		return oaiErr("badVerb", "The verb is not one of OAI-PMH's.")
	}
	allowed := map[string]bool{"verb": true}
	for _, list := range [][]string{spec.required, spec.optional, spec.exclusive} {
		for _, a := range list {
			allowed[a] = true
		}
	}
	for a := range args {
		if !allowed[a] {
			return oaiErr("badArgument", "The argument "+a+" is not allowed with "+verb+".")
		}
	}
	for _, x := range spec.exclusive {
		if _, ok := args[x]; ok {
			if len(args) != 2 {
				return oaiErr("badArgument", "The argument "+x+" comes alone.")
			}
			return nil
		}
	}
	for _, r := range spec.required {
		if _, ok := args[r]; !ok {
			return oaiErr("badArgument", "The argument "+r+" is missing.")
		}
	}
	return nil
}

func (s *server) oaiVerb(ctx context.Context, args map[string]string) (any, error) {
	switch args["verb"] {
	case "Identify":
		return s.oaiIdentify(ctx)
	case "ListMetadataFormats":
		if id := args["identifier"]; id != "" {
			if _, err := s.oaiItem(ctx, id); err != nil {
				return nil, err
			}
		}
		return oaiListMetadataFormats{Formats: []oaiMetadataFormat{{Prefix: "oai_dc", Schema: oaiDCSchema, Namespace: oaiDCNamespace}}}, nil
	case "ListSets":
		if args["resumptionToken"] != "" {
			return nil, oaiErr("badResumptionToken", "The set list is never split: no token is valid.")
		}
		themes, err := s.library.Themes(ctx)
		if err != nil {
			return nil, err
		}
		out := oaiListSets{}
		for _, t := range themes {
			out.Sets = append(out.Sets, oaiSet{Spec: t.Slug, Name: t.Label("en")})
		}
		return out, nil
	case "GetRecord":
		if args["metadataPrefix"] != "oai_dc" {
			return nil, oaiErr("cannotDisseminateFormat", "Only oai_dc is offered.")
		}
		it, err := s.oaiItem(ctx, args["identifier"])
		if err != nil {
			return nil, err
		}
		themes, err := s.library.Themes(ctx)
		if err != nil {
			return nil, err
		}
		return oaiGetRecord{Record: s.oaiRecord(ctx, it, themes)}, nil
	default:
		return s.oaiList(ctx, args)
	}
}

func (s *server) oaiIdentify(ctx context.Context) (any, error) {
	earliest, ok, err := s.library.EarliestDatestamp(ctx)
	if err != nil {
		return nil, err
	}
	if !ok {
		earliest = s.now()
	}
	host := "localhost"
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	if !strings.Contains(host, ".") {
		host += ".invalid" // the schema wants a dotted domain
	}
	return oaiIdentify{RepositoryName: "Aula library", BaseURL: s.cfg.BaseURL + "/oai", ProtocolVersion: "2.0",
		AdminEmail: "library@" + host, EarliestDatestamp: earliest.UTC().Format(oaiTimeFormat),
		DeletedRecord: "persistent", Granularity: "YYYY-MM-DDThh:mm:ssZ"}, nil
}

// oaiIdentifier is an item's OAI identifier: oai:<host>:library/<id>.
func (s *server) oaiIdentifier(id int64) string {
	return "oai:" + s.oaiHost() + ":library/" + strconv.FormatInt(id, 10)
}

func (s *server) oaiHost() string {
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "aula"
}

func (s *server) oaiItem(ctx context.Context, identifier string) (*library.Item, error) {
	rest, ok := strings.CutPrefix(identifier, "oai:"+s.oaiHost()+":library/")
	id, err := strconv.ParseInt(rest, 10, 64)
	if !ok || err != nil || id <= 0 {
		return nil, oaiErr("idDoesNotExist", "No record has this identifier.")
	}
	it, err := s.library.Record(ctx, id)
	if errors.Is(err, library.ErrNotFound) {
		return nil, oaiErr("idDoesNotExist", "No record has this identifier.")
	}
	return it, err
}

// oaiCursor is what a resumption token carries: the request's selection
// and where the last page ended.
type oaiCursor struct {
	Verb   string `json:"v"`
	Prefix string `json:"p"`
	Set    string `json:"s,omitempty"`
	From   string `json:"f,omitempty"`
	Until  string `json:"u,omitempty"`
	Time   int64  `json:"t"` // datestamp of the last record, µs
	ID     int64  `json:"i"`
	Done   int    `json:"c"` // records already sent
}

func (t oaiCursor) encode() string {
	b, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(b)
}

var errBadToken = oaiErr("badResumptionToken", "The resumption token is not valid.")

var oaiDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// oaiTime reads a from or until argument, either granularity; until
// means the end of its day or second.
func oaiTime(v string, until bool) (time.Time, bool) {
	if oaiDate.MatchString(v) {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return time.Time{}, false
		}
		if until {
			t = t.Add(24*time.Hour - time.Microsecond)
		}
		return t, true
	}
	t, err := time.Parse(oaiTimeFormat, v)
	if err != nil {
		return time.Time{}, false
	}
	if until {
		t = t.Add(time.Second - time.Microsecond)
	}
	return t, true
}

func (s *server) oaiList(ctx context.Context, args map[string]string) (any, error) {
	cur := oaiCursor{Verb: args["verb"], Prefix: args["metadataPrefix"], Set: args["set"], From: args["from"], Until: args["until"]}
	if tok := args["resumptionToken"]; tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || json.Unmarshal(b, &cur) != nil || cur.Verb != args["verb"] || cur.ID <= 0 {
			return nil, errBadToken
		}
	}
	if cur.Prefix != "oai_dc" {
		return nil, oaiErr("cannotDisseminateFormat", "Only oai_dc is offered.")
	}
	q := library.HarvestQuery{Theme: cur.Set, Limit: oaiPageSize}
	var ok bool
	if cur.From != "" {
		if q.From, ok = oaiTime(cur.From, false); !ok {
			return nil, oaiErr("badArgument", "from is not a UTC date or time (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).")
		}
	}
	if cur.Until != "" {
		if q.Until, ok = oaiTime(cur.Until, true); !ok {
			return nil, oaiErr("badArgument", "until is not a UTC date or time (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).")
		}
	}
	if cur.From != "" && cur.Until != "" && (len(cur.From) != len(cur.Until) || q.From.After(q.Until)) {
		return nil, oaiErr("badArgument", "from and until must have one granularity, from not after until.")
	}
	if cur.ID != 0 {
		q.AfterTime, q.AfterID = time.UnixMicro(cur.Time), cur.ID
	}
	items, total, err := s.library.Harvest(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		if cur.ID != 0 {
			return nil, errBadToken // the list changed under the token
		}
		return nil, oaiErr("noRecordsMatch", "No record matches these arguments.")
	}
	themes, err := s.library.Themes(ctx)
	if err != nil {
		return nil, err
	}
	var token *oaiResumptionToken
	sent := cur.Done + len(items)
	if sent < total {
		last := items[len(items)-1]
		next := cur
		next.Time, next.ID, next.Done = last.UpdatedAt.UnixMicro(), last.ID, sent
		token = &oaiResumptionToken{Token: next.encode(), CompleteListSize: total, Cursor: cur.Done}
	} else if cur.ID != 0 {
		// The last page of a split list says so with an empty token.
		token = &oaiResumptionToken{CompleteListSize: total, Cursor: cur.Done}
	}
	if cur.Verb == "ListIdentifiers" {
		out := oaiListIdentifiers{Token: token}
		for i := range items {
			out.Headers = append(out.Headers, s.oaiHeader(&items[i], themes))
		}
		return out, nil
	}
	out := oaiListRecords{Token: token}
	for i := range items {
		out.Records = append(out.Records, s.oaiRecord(ctx, &items[i], themes))
	}
	return out, nil
}

func (s *server) oaiHeader(it *library.Item, themes []library.Theme) oaiHeader {
	h := oaiHeader{Identifier: s.oaiIdentifier(it.ID), Datestamp: it.UpdatedAt.UTC().Format(oaiTimeFormat)}
	if it.Status == library.StatusWithdrawn {
		h.Status = "deleted"
	}
	for _, t := range themes {
		if containsID(it.Themes, t.ID) {
			h.SetSpecs = append(h.SetSpecs, t.Slug)
		}
	}
	return h
}

// oaiRecord is an item's record: a deleted one has no metadata.
func (s *server) oaiRecord(ctx context.Context, it *library.Item, themes []library.Theme) oaiRecord {
	r := oaiRecord{Header: s.oaiHeader(it, themes)}
	if it.Status != library.StatusPublished {
		return r
	}
	dc := oaiDC{XmlnsOAIDC: oaiDCNamespace, XmlnsDC: dcNamespace, XmlnsXSI: xsiNamespace,
		SchemaLocation: oaiDCNamespace + " " + oaiDCSchema}
	dc.Title = []dcValue{{Lang: it.Language, Value: it.Title}}
	if it.Abstract != "" {
		dc.Description = []dcValue{{Lang: it.Language, Value: it.Abstract}}
	}
	for _, t := range it.Translations {
		dc.Title = append(dc.Title, dcValue{Lang: t.Language, Value: t.Title})
		if t.Abstract != "" {
			dc.Description = append(dc.Description, dcValue{Lang: t.Language, Value: t.Abstract})
		}
	}
	for _, a := range it.Authors {
		dc.Creator = append(dc.Creator, dcValue{Value: a})
	}
	for _, t := range themes {
		if containsID(it.Themes, t.ID) {
			for _, locale := range []string{"en", "es", "pt-BR"} {
				dc.Subject = append(dc.Subject, dcValue{Lang: strings.SplitN(locale, "-", 2)[0], Value: t.Label(locale)})
			}
		}
	}
	if name := s.institutionName(ctx, it.InstitutionID); name != "" {
		dc.Publisher = []dcValue{{Value: name}}
	}
	date := strconv.Itoa(it.Year)
	if it.Date != nil {
		date = it.Date.Format(time.DateOnly)
	}
	dc.Date = []dcValue{{Value: date}}
	dc.Type = []dcValue{{Value: dcmiType(it.Type)}, {Value: string(it.Type)}}
	for _, f := range it.Files {
		dc.Format = append(dc.Format, dcValue{Value: strings.SplitN(f.ContentType, ";", 2)[0]})
	}
	dc.Identifier = []dcValue{{Value: s.cfg.BaseURL + itemPath(it.ID)}}
	dc.Language = []dcValue{{Value: it.Language}}
	for _, t := range it.Translations {
		dc.Language = append(dc.Language, dcValue{Value: t.Language})
	}
	if it.URL != "" {
		dc.Relation = []dcValue{{Value: it.URL}}
	}
	for _, c := range it.Countries {
		dc.Coverage = append(dc.Coverage, dcValue{Value: c})
	}
	if it.Region != "" {
		dc.Coverage = append(dc.Coverage, dcValue{Value: it.Region})
	}
	if it.Licence != "" {
		dc.Rights = []dcValue{{Value: it.Licence}}
	}
	r.Metadata = &oaiMetadata{DC: dc}
	return r
}

// dcmiType is the DCMI Type Vocabulary term of an item's type.
func dcmiType(t library.Type) string {
	switch t {
	case library.TypeDataset:
		return "Dataset"
	case library.TypeLink:
		return "InteractiveResource"
	}
	return "Text"
}
