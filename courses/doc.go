// Package courses owns what is taught and who is taking it: courses, their
// modules and attached files, the published catalogue, enrolments (one by
// one, by institution, or from a CSV file, each import kept as a report),
// progress and completion. Who may do what is decided here, from the
// Actor every method takes, not by the web layer.
//
// It knows nothing of HTTP. Besides the models, Store and Service it holds
// the pure pieces every path through them shares, so that the pages and the
// JSON API cannot disagree:
//
//   - RenderMarkdown turns a module's Markdown into HTML that is safe to put
//     in a page; it is the only way body_html is produced.
//   - Slugify, ValidSlug and SlugCandidate make and check the URL names of
//     courses.
//   - CleanFileName and SniffKind decide what an uploaded file is called and
//     whether it is accepted, by its content rather than its name.
//   - BlobStore (with DirStore on disk) keeps file contents addressed by
//     their SHA-256, so the same file attached twice is stored once.
package courses
