package library

import (
	"time"

	"github.com/uptrace/bun"
)

// Type is what kind of document an item is.
type Type string

// The kinds of item.
const (
	TypePublication  Type = "publication"
	TypeExperience   Type = "experience" // a programme or practice of a country
	TypeLegislation  Type = "legislation"
	TypeReport       Type = "report"
	TypePresentation Type = "presentation"
	TypeDataset      Type = "dataset"
	TypeLink         Type = "link"
)

// Types lists every type, in the order forms and facets offer them.
var Types = []Type{TypePublication, TypeExperience, TypeLegislation, TypeReport, TypePresentation, TypeDataset, TypeLink}

// Valid reports whether t is one of Types.
func (t Type) Valid() bool {
	for _, k := range Types {
		if k == t {
			return true
		}
	}
	return false
}

// Status is where an item is in its life: draft → published → withdrawn,
// and a withdrawn item may be published again. A published item never
// goes back to draft: harvesters have seen it.
type Status string

// The statuses of an item.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusWithdrawn Status = "withdrawn"
)

// Theme is a term of the controlled vocabulary, labelled in every
// interface language.
type Theme struct {
	bun.BaseModel `bun:"table:library_themes,alias:th"`

	ID       int64             `bun:"id,pk,autoincrement"`
	Slug     string            `bun:"slug"`
	Labels   map[string]string `bun:"labels,type:jsonb"`
	Position int               `bun:"position"`
}

// Label is the theme's name in an interface locale ("pt-BR"), English when
// the locale has none.
func (t Theme) Label(locale string) string {
	if l, ok := t.Labels[locale]; ok && l != "" {
		return l
	}
	return t.Labels["en"]
}

// Item is one entry of the library.
type Item struct {
	bun.BaseModel `bun:"table:library_items,alias:li"`

	ID       int64  `bun:"id,pk,autoincrement"`
	Type     Type   `bun:"type"`
	Status   Status `bun:"status"`
	Title    string `bun:"title"`
	Abstract string `bun:"abstract"`
	// Language is the ISO 639-1 code of Title and Abstract; Languages adds
	// those of the translations.
	Language  string   `bun:"language"`
	Languages []string `bun:"languages,array"`
	// Countries are ISO 3166-1 alpha-2 codes ("BR", "MZ").
	Countries        []string   `bun:"countries,array"`
	Region           string     `bun:"region"`
	Themes           []int64    `bun:"themes,array"`
	Year             int        `bun:"year"`
	Date             *time.Time `bun:"date,type:date"`
	Authors          []string   `bun:"authors,array"`
	InstitutionID    *int64     `bun:"institution_id"`
	TargetPopulation string     `bun:"target_population"`
	DocumentType     string     `bun:"document_type"`
	Licence          string     `bun:"licence"`
	URL              string     `bun:"url"`
	CreatedBy        *int64     `bun:"created_by"`
	// Origin names what made the item when not a librarian
	// ("exchange-action:12"); nil for items catalogued by hand.
	Origin      *string    `bun:"origin"`
	PublishedAt *time.Time `bun:"published_at"`
	WithdrawnAt *time.Time `bun:"withdrawn_at"`
	CreatedAt   time.Time  `bun:"created_at,nullzero,default:current_timestamp"`
	UpdatedAt   time.Time  `bun:"updated_at,nullzero,default:current_timestamp"`

	Translations []Translation `bun:"rel:has-many,join:id=item_id"`
	Files        []File        `bun:"rel:has-many,join:id=item_id"`
}

// Translation is an item's title and abstract in another language.
type Translation struct {
	bun.BaseModel `bun:"table:library_item_translations,alias:lt"`

	ItemID   int64  `bun:"item_id,pk"`
	Language string `bun:"language,pk"`
	Title    string `bun:"title"`
	Abstract string `bun:"abstract"`
}

// File is a document attached to an item. Its bytes are in the blob store
// under SHA256.
type File struct {
	bun.BaseModel `bun:"table:library_files,alias:lf"`

	ID          int64     `bun:"id,pk,autoincrement"`
	ItemID      int64     `bun:"item_id"`
	SHA256      string    `bun:"sha256"`
	FileName    string    `bun:"file_name"`
	ContentType string    `bun:"content_type"`
	SizeBytes   int64     `bun:"size_bytes"`
	UploadedBy  *int64    `bun:"uploaded_by"`
	CreatedAt   time.Time `bun:"created_at,nullzero,default:current_timestamp"`
	// Text is what the extraction job read from a PDF (nil until then, and
	// for other files); ExtractedAt says when.
	Text        *string    `bun:"text"`
	ExtractedAt *time.Time `bun:"text_extracted_at"`
}

// IsPDF reports whether the file is a PDF, whose text is extracted.
func (f *File) IsPDF() bool { return f.ContentType == pdfType }

const pdfType = "application/pdf"

// SubmissionStatus is where a member's submission is in its review.
type SubmissionStatus string

// The statuses of a submission: pending until a librarian reviews it;
// changes_requested goes back to pending when the member sends it again.
const (
	SubmissionPending          SubmissionStatus = "pending"
	SubmissionChangesRequested SubmissionStatus = "changes_requested"
	SubmissionAccepted         SubmissionStatus = "accepted"
	SubmissionDeclined         SubmissionStatus = "declined"
)

// Submission is a member's proposal of an item.
type Submission struct {
	bun.BaseModel `bun:"table:library_submissions,alias:ls"`

	ID            int64            `bun:"id,pk,autoincrement"`
	SubmittedBy   *int64           `bun:"submitted_by"`
	InstitutionID *int64           `bun:"institution_id"`
	Status        SubmissionStatus `bun:"status"`
	Title         string           `bun:"title"`
	Fields        ItemParams       `bun:"fields,type:jsonb"`
	// Note is the librarian's last word to the member (what to change,
	// why it was declined).
	Note       string     `bun:"note"`
	ReviewedBy *int64     `bun:"reviewed_by"`
	ReviewedAt *time.Time `bun:"reviewed_at"`
	ItemID     *int64     `bun:"item_id"`
	CreatedAt  time.Time  `bun:"created_at,nullzero,default:current_timestamp"`
	UpdatedAt  time.Time  `bun:"updated_at,nullzero,default:current_timestamp"`
}
