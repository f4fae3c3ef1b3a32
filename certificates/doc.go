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
// The package never imports net/http, Fiber or templates; cmd/aula hands it
// the fonts embedded in package assets.
package certificates
