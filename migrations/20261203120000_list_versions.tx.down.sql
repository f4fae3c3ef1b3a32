DROP TRIGGER courses_list_version ON courses;
DROP TRIGGER institutions_list_version ON institutions;
DROP FUNCTION list_versions_bump();
DROP TABLE list_versions;
