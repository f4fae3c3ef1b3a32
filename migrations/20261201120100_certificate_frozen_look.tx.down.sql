-- Certificates go back to being drawn with the current issuer settings.
ALTER TABLE certificates DROP COLUMN signatories, DROP COLUMN logo_sha256, DROP COLUMN accent_color;
DROP TABLE certificate_images;
