-- ZIP files of certificates move from PostgreSQL (certificate_zip_parts)
-- to the file storage uploaded files use: a finished job names its file by
-- the SHA-256 of its content. Finished jobs made before have their file in
-- the parts being dropped: they are deleted, and an admin makes a new ZIP
-- (they would have expired within a day anyway). Pending and running jobs
-- stay and are made into files in storage.
ALTER TABLE certificate_zip_jobs ADD COLUMN blob_sha256 text CHECK (blob_sha256 ~ '^[0-9a-f]{64}$');
DELETE FROM certificate_zip_jobs WHERE status = 'done';
ALTER TABLE certificate_zip_jobs ADD CONSTRAINT certificate_zip_jobs_done_blob_check
    CHECK ((status = 'done') = (blob_sha256 IS NOT NULL));
DROP TABLE certificate_zip_parts;
