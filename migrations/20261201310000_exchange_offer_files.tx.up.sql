-- Files attached to an exchange's offers (a programme's brochure, its
-- evaluation, slides). The bytes are in the blob store course and library
-- files share, stored once by content (sha256); the store's sweep asks
-- exchange which hashes are still in use. The same content attached twice
-- to one offer is one file.
CREATE TABLE exchange_offer_files (
    id            bigserial PRIMARY KEY,
    offer_id      bigint NOT NULL REFERENCES exchange_offers (id) ON DELETE CASCADE,
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    file_name     text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    content_type  text NOT NULL,
    size_bytes    bigint NOT NULL CHECK (size_bytes >= 0),
    uploaded_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT exchange_offer_files_content_key UNIQUE (offer_id, sha256)
);
CREATE INDEX exchange_offer_files_sha256_idx ON exchange_offer_files (sha256);
