// Package library owns the knowledge library: the items librarians
// catalogue (publications, country experiences, legislation, reports,
// presentations, data sets, links), their translations and files, the
// controlled vocabulary of themes, members' submissions and their review,
// and who may catalogue (admins, and users an admin names librarian
// through accounts.PermissionLibrarian).
//
// Who may do what is decided here, from the *accounts.User every method
// takes (nil for a visitor), not by the web layer:
//
//   - anyone sees published items and searches them;
//   - librarians create, edit, publish and withdraw items, attach files,
//     link items to the courses that cite them, and review submissions;
//   - any signed-in member submits an experience of their institution and
//     follows their own submissions;
//   - admins name and remove librarians.
//
// Search is PostgreSQL full text, each item's vector stemmed in its own
// language (aula_pt, aula_es, aula_en over unaccent; see the migration
// 20261201230000_library), with the text inside attached PDFs extracted by
// a background job (ExtractTextKind), facets counted in SQL, and
// Portuguese items first for Portuguese readers.
//
// Files go to the blob store course files use, checked by content as they
// are (courses.PutChecked); FilesInUse tells the store's sweep which are
// the library's.
package library
