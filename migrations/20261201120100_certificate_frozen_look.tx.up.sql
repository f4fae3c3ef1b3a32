-- Each certificate keeps the look it was issued with — the issuer's colour,
-- logo and signatories with their signature images — so that changing the
-- issuer settings no longer redraws certificates already given. (The
-- issuer's name was in the snapshot already.) Images are stored once, by
-- the SHA-256 of their bytes, however many certificates print them.
CREATE TABLE certificate_images (
    sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    data        bytea NOT NULL CHECK (length(data) BETWEEN 1 AND 2097152),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (sha256 = encode(sha256(data), 'hex'))
);
-- PNG and JPEG are compressed already.
ALTER TABLE certificate_images ALTER COLUMN data SET STORAGE EXTERNAL;

ALTER TABLE certificates
    ADD COLUMN accent_color text NOT NULL DEFAULT '' CHECK (accent_color = '' OR accent_color ~ '^#[0-9A-Fa-f]{6}$'),
    ADD COLUMN logo_sha256 text REFERENCES certificate_images (sha256) ON DELETE RESTRICT,
    -- [{"name": "…", "title": "…", "signature_sha256": "…" or null}, …] in
    -- printing order, at most two.
    ADD COLUMN signatories jsonb NOT NULL DEFAULT '[]'
        CHECK (jsonb_typeof(signatories) = 'array' AND jsonb_array_length(signatories) <= 2);

-- Certificates issued before take the look they are drawn with today.
INSERT INTO certificate_images (sha256, data)
SELECT encode(sha256(logo), 'hex'), logo FROM certificate_issuer WHERE logo IS NOT NULL
UNION
SELECT encode(sha256(signature), 'hex'), signature FROM certificate_signatories WHERE signature IS NOT NULL
ON CONFLICT DO NOTHING;

UPDATE certificates SET
    accent_color = iss.accent_color,
    logo_sha256 = CASE WHEN iss.logo IS NULL THEN NULL ELSE encode(sha256(iss.logo), 'hex') END,
    signatories = coalesce((
        SELECT jsonb_agg(jsonb_build_object('name', sig.name, 'title', sig.title,
            'signature_sha256', CASE WHEN sig.signature IS NULL THEN NULL ELSE encode(sha256(sig.signature), 'hex') END)
            ORDER BY sig.position)
        FROM certificate_signatories AS sig), '[]')
FROM certificate_issuer AS iss;
