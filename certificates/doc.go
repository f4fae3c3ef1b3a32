// Package certificates issues the certificates learners get for completing
// a course: their codes, their Ed25519 signatures and their PDFs.
//
// The core of the package needs no database:
//
//   - a Snapshot is the immutable record of what a certificate states, taken
//     when it is issued; Issuer holds the organisation's look (logo, colour,
//     signatories);
//   - NewCode makes the public code printed on each certificate and
//     NormalizeCode reads one back as a person typed it;
//   - Sign and Verify sign a Snapshot's Payload so anyone holding the public
//     key can check a certificate offline (docs/certificate-signature.md);
//   - a Renderer draws a Document — snapshot, issuer, site URL and signature —
//     as a PDF, the same bytes every time; Document.Hash is its cache key.
//
// Around it, a Store (store*.go) holds every query of the package, on the
// database or in a transaction, and the Service applies the rules. Data of
// other packages — the holder's name and institution, the course, the
// completed enrolment — is read through functions accounts and courses
// export for it (their for_certificates.go), never from their tables. The
// Service:
//
//   - IssueOnCompletion, a courses.CompletionHook, issues a certificate in
//     the transaction that completes an enrolment — exactly one, enforced
//     by unique constraints however completions race; admins Issue by hand,
//     Revoke with a reason and Reissue a corrected snapshot under the same
//     code, each recorded in the certificate's audit trail (Events);
//   - the installation's signing keys live in the database: the first is
//     made on first start (EnsureKey), RotateKey retires it, and every
//     certificate records the key that signed it;
//   - Lookup answers the public verification; PDF draws a certificate once
//     per Document.Hash and caches it; the ZIP of a course's certificates
//     is made by a job on the one queue (StartZip, ZipJobKind, OpenZip).
//
// The package never imports net/http, Fiber or templates; cmd/aula hands it
// the fonts embedded in package assets.
package certificates
