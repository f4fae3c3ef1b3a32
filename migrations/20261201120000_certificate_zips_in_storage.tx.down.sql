-- Back to ZIP files in PostgreSQL. Files already in storage are not copied
-- back: finished jobs are deleted and their files are left to the sweep.
CREATE TABLE certificate_zip_parts (
    job_id   bigint NOT NULL REFERENCES certificate_zip_jobs (id) ON DELETE CASCADE,
    attempt  integer NOT NULL,
    seq      integer NOT NULL,
    data     bytea NOT NULL,
    PRIMARY KEY (job_id, attempt, seq)
);
ALTER TABLE certificate_zip_parts ALTER COLUMN data SET STORAGE EXTERNAL;
DELETE FROM certificate_zip_jobs WHERE status = 'done';
ALTER TABLE certificate_zip_jobs DROP CONSTRAINT certificate_zip_jobs_done_blob_check;
ALTER TABLE certificate_zip_jobs DROP COLUMN blob_sha256;
