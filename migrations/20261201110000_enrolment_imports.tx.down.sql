DROP TABLE IF EXISTS enrolment_import_accounts;
DROP TABLE IF EXISTS enrolment_imports;
