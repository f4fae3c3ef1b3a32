package wiring

import (
	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/library"
)

// newLibrary builds the knowledge library on the services built before it:
//
//   - its files live in the blob store course files use, whose hourly
//     sweep must keep them;
//   - the text inside attached PDFs is read by a job on the one queue;
//   - a librarian's decision on a submission (accepted, changes asked for,
//     declined) is told to the member by notify, an in-app notice and a
//     mail or digest line per their "library" preference, in the
//     decision's transaction;
//   - country pages list the events organised by staff of the country's
//     institutions, and item pages the events citing the item (events
//     reads its own tables and gives the library what it shows).
func newLibrary(db *bun.DB, svc *Services, opts Options) *library.Service {
	lib := library.NewService(db, library.Options{Blobs: opts.Blobs, Accounts: svc.Accounts, Courses: svc.Courses,
		UploadMaxBytes: opts.UploadMaxBytes, Now: opts.Now, Logger: opts.Logger})
	svc.Courses.AddBlobUser(lib.FilesInUse)
	svc.Jobs.Register(lib.ExtractTextJob())
	lib.SetNotifier(svc.Notify.LibraryNotifier())
	lib.SetEvents(svc.Events.Library())
	return lib
}
