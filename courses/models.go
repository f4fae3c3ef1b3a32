package courses

import (
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Status is where a course is in its life.
type Status string

// Course states: drafts are seen by their instructors and admins only;
// published courses are in the catalog; archived ones leave the catalog but
// stay readable to those enrolled.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusArchived  Status = "archived"
)

// Course is something taught on Aula.
type Course struct {
	bun.BaseModel `bun:"table:courses,alias:c"`

	ID                        int64      `bun:"id,pk,autoincrement" json:"id"`
	Slug                      string     `bun:"slug" json:"slug"`
	Title                     string     `bun:"title" json:"title"`
	Summary                   string     `bun:"summary" json:"summary"`
	Language                  string     `bun:"language" json:"language"`
	WorkloadHours             int        `bun:"workload_hours" json:"workload_hours"`
	Status                    Status     `bun:"status" json:"status"`
	CoverAssetID              *int64     `bun:"cover_asset_id" json:"cover_asset_id"`
	CertificateValidityMonths *int       `bun:"certificate_validity_months" json:"certificate_validity_months,omitempty"`
	CreatedBy                 *int64     `bun:"created_by" json:"-"`
	PublishedAt               *time.Time `bun:"published_at" json:"published_at"`
	CreatedAt                 time.Time  `bun:"created_at,nullzero,default:current_timestamp" json:"created_at"`
	UpdatedAt                 time.Time  `bun:"updated_at,nullzero,default:current_timestamp" json:"updated_at"`
}

// CourseInstructor says a user may edit a course.
type CourseInstructor struct {
	bun.BaseModel `bun:"table:course_instructors,alias:ci"`

	CourseID int64 `bun:"course_id,pk"`
	UserID   int64 `bun:"user_id,pk"`
}

// Module is one ordered part of a course.
type Module struct {
	bun.BaseModel `bun:"table:modules,alias:m"`

	ID               int64      `bun:"id,pk,autoincrement" json:"id"`
	CourseID         int64      `bun:"course_id" json:"course_id"`
	Position         int        `bun:"position" json:"position"`
	Title            string     `bun:"title" json:"title"`
	BodyMarkdown     string     `bun:"body_markdown" json:"body_markdown,omitempty"`
	BodyHTML         string     `bun:"body_html" json:"body_html,omitempty"`
	EstimatedMinutes int        `bun:"estimated_minutes" json:"estimated_minutes"`
	ArchivedAt       *time.Time `bun:"archived_at" json:"archived_at,omitempty"`
	CreatedAt        time.Time  `bun:"created_at,nullzero,default:current_timestamp" json:"created_at"`
	UpdatedAt        time.Time  `bun:"updated_at,nullzero,default:current_timestamp" json:"updated_at"`
}

// Asset is a file attached to a course; its bytes live in the BlobStore.
type Asset struct {
	bun.BaseModel `bun:"table:course_assets,alias:a"`

	ID          int64     `bun:"id,pk,autoincrement" json:"id"`
	CourseID    int64     `bun:"course_id" json:"course_id"`
	SHA256      string    `bun:"sha256" json:"sha256"`
	FileName    string    `bun:"file_name" json:"file_name"`
	ContentType string    `bun:"content_type" json:"content_type"`
	SizeBytes   int64     `bun:"size_bytes" json:"size_bytes"`
	UploadedBy  *int64    `bun:"uploaded_by" json:"-"`
	CreatedAt   time.Time `bun:"created_at,nullzero,default:current_timestamp" json:"created_at"`
}

// IsImage reports whether the file is an image a page can show inline.
func (a *Asset) IsImage() bool { return strings.HasPrefix(a.ContentType, "image/") }
