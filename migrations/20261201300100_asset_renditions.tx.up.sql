-- Images of course files shown inside modules are served to pages at a
-- bounded width: each smaller version is made once per source content
-- (its hash) and width, and stored in the blob store like any file. This
-- table says where it is; the blob sweep keeps a version while a course
-- file still has its source.
CREATE TABLE asset_renditions (
    source_sha256 text NOT NULL CHECK (source_sha256 ~ '^[0-9a-f]{64}$'),
    width         integer NOT NULL CHECK (width BETWEEN 16 AND 4096),
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    size_bytes    bigint NOT NULL CHECK (size_bytes > 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_sha256, width)
);
-- The sweep asks which stored versions are still wanted, by their hash.
CREATE INDEX asset_renditions_sha256_idx ON asset_renditions (sha256);
