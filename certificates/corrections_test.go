package certificates

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestRevoke(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u, admin := f.user("Rita Peña"), f.admin()
	c, mods := f.course(1, nil)
	f.complete(u, c, mods)
	cert := f.certificatesOf(u.ID, c.ID)[0]

	if _, err := f.svc.Revoke(ctx, cert.Code, admin.ID, "  "); !errors.Is(err, ErrInvalidReason) {
		t.Errorf("revoke without a reason: %v", err)
	}
	lower := strings.ToLower(strings.ReplaceAll(cert.Code, "-", ""))
	got, err := f.svc.Revoke(ctx, lower, admin.ID, "Fraude comprobado")
	if err != nil {
		t.Fatal(err)
	}
	if got.RevokedAt == nil || got.Reason() != "Fraude comprobado" || *got.RevokedBy != admin.ID {
		t.Errorf("revoked certificate %+v", got)
	}
	if _, err := f.svc.Revoke(ctx, cert.Code, admin.ID, "otra vez"); !errors.Is(err, ErrRevoked) {
		t.Errorf("second revocation: %v, want ErrRevoked", err)
	}
	v, err := f.svc.Lookup(ctx, cert.Code)
	if err != nil || v.Status != StatusRevoked {
		t.Fatalf("lookup after revocation: %+v %v", v, err)
	}
	if _, err := f.svc.Reissue(ctx, cert.Code, admin.ID, ReissueParams{HolderName: ptr("X"), Reason: "r"}); !errors.Is(err, ErrRevoked) {
		t.Errorf("reissue of a revoked certificate: %v", err)
	}
	// Its holder no longer gets the PDF; an admin still does.
	if _, err := f.svc.Downloadable(ctx, cert.Code, u.ID, false); !errors.Is(err, ErrRevoked) {
		t.Errorf("holder downloading a revoked certificate: %v", err)
	}
	if _, err := f.svc.Downloadable(ctx, cert.Code, admin.ID, true); err != nil {
		t.Errorf("admin downloading a revoked certificate: %v", err)
	}
	if _, err := f.svc.Revoke(ctx, "AULA-2222-2222-22", admin.ID, "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoke unknown: %v", err)
	}
	events, _ := f.svc.Events(ctx, cert.ID)
	if len(events) != 2 || events[1].Kind != EventRevoked || events[1].Reason != "Fraude comprobado" || *events[1].ActorID != admin.ID {
		t.Errorf("audit trail %+v", events)
	}
}

func ptr[T any](v T) *T { return &v }

func TestReissue(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u, admin := f.user("Joao da Conceicao"), f.admin()
	c, mods := f.course(1, nil)
	f.complete(u, c, mods)
	before := f.certificatesOf(u.ID, c.ID)[0]

	same := before.HolderName
	if _, err := f.svc.Reissue(ctx, before.Code, admin.ID, ReissueParams{HolderName: &same, Reason: "nada"}); !errors.Is(err, ErrNoChange) {
		t.Errorf("reissue without a change: %v", err)
	}
	if _, err := f.svc.Reissue(ctx, before.Code, admin.ID, ReissueParams{HolderName: ptr("")}); !errors.Is(err, ErrInvalidReason) {
		t.Errorf("reissue without a reason: %v", err)
	}
	if _, err := f.svc.Reissue(ctx, before.Code, admin.ID, ReissueParams{HolderName: ptr("  "), Reason: "vacío"}); !errors.Is(err, ErrInvalidSnapshot) {
		t.Errorf("reissue with an empty name: %v", err)
	}

	after, err := f.svc.Reissue(ctx, before.Code, admin.ID, ReissueParams{
		HolderName: ptr("João  da Conceição"), Institution: &before.Institution, Reason: "Acentos del nombre"})
	if err != nil {
		t.Fatal(err)
	}
	if after.Code != before.Code || after.HolderName != "João da Conceição" || after.Revision != 2 || after.ReissuedAt == nil ||
		after.Signature == before.Signature || !after.IssuedAt.Equal(before.IssuedAt) {
		t.Errorf("reissued %+v", after)
	}
	pub, _ := f.svc.PublicKey(ctx, after.KeyID)
	if err := Verify(pub, after.Snapshot().Payload(), after.Signature); err != nil {
		t.Errorf("new signature: %v", err)
	}
	if err := Verify(pub, after.Snapshot().Payload(), before.Signature); !errors.Is(err, ErrBadSignature) {
		t.Errorf("the old signature still matches the corrected payload: %v", err)
	}
	events, _ := f.svc.Events(ctx, before.ID)
	if len(events) != 2 {
		t.Fatalf("audit trail %+v", events)
	}
	ev := events[1]
	want := Change{From: "Joao da Conceicao", To: "João da Conceição"}
	if ev.Kind != EventReissued || *ev.ActorID != admin.ID || ev.ActorName != "Ana Administradora" || ev.Reason != "Acentos del nombre" ||
		len(ev.Changes) != 1 || ev.Changes["holder_name"] != want {
		t.Errorf("reissue event %+v", ev)
	}
	v, _ := f.svc.Lookup(ctx, before.Code)
	if v.Status != StatusValid || !v.Certificate.Reissued() {
		t.Errorf("lookup after reissue: %s reissued=%v", v.Status, v.Certificate.Reissued())
	}
}

func TestKeys(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	first, err := f.svc.EnsureKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.EnsureKey(ctx)
	if err != nil || again.ID != first.ID {
		t.Fatalf("EnsureKey made a second key: %v %v", again, err)
	}
	u, admin := f.user("Key Holder"), f.admin()
	c, mods := f.course(1, nil)
	f.complete(u, c, mods)
	old := f.certificatesOf(u.ID, c.ID)[0]

	rotated, err := f.svc.RotateKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rotated.ID == old.KeyID || rotated.Public == first.Public {
		t.Fatal("rotation kept the key")
	}
	keys, err := f.svc.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if keys[0].ID != rotated.ID || keys[0].RetiredAt != nil || keys[0].Private != "" {
		t.Errorf("current key not first, or private part listed: %+v", keys[0])
	}
	retired := false
	for _, k := range keys[1:] {
		if k.ID == old.KeyID && k.RetiredAt != nil {
			retired = true
		}
	}
	if !retired {
		t.Errorf("old key %d not listed as retired: %+v", old.KeyID, keys)
	}
	// Old certificates keep verifying with their key; new ones use the new key.
	v, _ := f.svc.Lookup(ctx, old.Code)
	pub, _ := ParsePublicKey(v.Key.Public)
	if v.Key.ID != old.KeyID || Verify(pub, v.Certificate.Snapshot().Payload(), v.Certificate.Signature) != nil {
		t.Errorf("old certificate does not verify with its key after rotation")
	}
	u2 := f.user("After Rotation")
	fresh, err := f.svc.Issue(ctx, IssueParams{UserID: u2.ID, CourseID: c.ID, By: admin.ID})
	if err != nil || fresh.KeyID != rotated.ID {
		t.Errorf("new certificate signed with key %d, want %d (%v)", fresh.KeyID, rotated.ID, err)
	}
}

func TestPDFCache(t *testing.T) {
	c := newPDFCache(100)
	c.put("a", make([]byte, 20))
	c.put("b", make([]byte, 20))
	c.put("huge", make([]byte, 30)) // over a quarter of the cache: not kept
	if _, ok := c.get("huge"); ok {
		t.Error("an oversized entry was cached")
	}
	c.get("a") // a is now more recent than b
	for _, k := range []string{"c", "d", "e", "f"} {
		c.put(k, make([]byte, 20))
	}
	if _, ok := c.get("b"); ok {
		t.Error("the least recently used entry survived")
	}
	if _, ok := c.get("a"); !ok {
		t.Error("a recently used entry was evicted")
	}
	if c.size > c.max || c.len() != 5 {
		t.Errorf("size %d of %d with %d entries", c.size, c.max, c.len())
	}
	// An entry counts what it holds in memory: a PDF in a buffer four
	// times its size counts as the buffer.
	spare := newPDFCache(100)
	spare.put("a", make([]byte, 10, 40))
	if _, ok := spare.get("a"); ok {
		t.Error("a PDF holding 40 bytes was kept in a cache of 100, over a quarter of it")
	}
	off := newPDFCache(-1)
	off.put("a", []byte("x"))
	if _, ok := off.get("a"); ok {
		t.Error("a disabled cache kept an entry")
	}
}

// A drawn PDF is cached as it is returned: one holding its drawing
// buffer's spare room would make the cache hold several times its bound.
func TestDrawnPDFHoldsNoSpareRoom(t *testing.T) {
	s := &Service{renderer: newTestRenderer(t)}
	pdf, err := s.render(testDocument("pt"))
	if err != nil {
		t.Fatal(err)
	}
	if spare := cap(pdf) - len(pdf); spare > len(pdf)/8+64 {
		t.Errorf("a PDF of %d bytes holds %d bytes of memory", len(pdf), cap(pdf))
	}
}
