DROP TABLE IF EXISTS certificate_zip_parts;
DROP TABLE IF EXISTS certificate_zip_jobs;
DROP TABLE IF EXISTS certificate_events;
DROP TABLE IF EXISTS certificates;
DROP TABLE IF EXISTS certificate_signatories;
DROP TABLE IF EXISTS certificate_issuer;
DROP TABLE IF EXISTS signing_keys;
