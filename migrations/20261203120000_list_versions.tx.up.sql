-- Issue 11: the select boxes of the list pages (200 institutions, 500
-- courses at scale) were read and scanned on every view of the user and
-- certificate searches and of a quiz's results: a quarter of the server's
-- time on each. The lists are now kept in the process by the version of
-- the list they were read at; a page asks for the version (one row) and
-- reads the list again only when it moved.
--
-- The version is a row, bumped by a statement trigger in the transaction
-- that writes, so a reader sees the new version exactly when it sees the
-- rows it stands for (a sequence would be seen before the commit, and a
-- list read then kept under the new number). A list read together with
-- its version, in one statement, is the list at that version. Writes of
-- one list wait for each other's commit on its row: institutions and
-- courses are written by hand, a few a day. A course's update bumps the
-- version only when it names a column the courses' list shows. A list
-- without a row is at version 0: the table starts empty, so a rollback of
-- an installation that never wrote a list has nothing of it to name.
CREATE TABLE list_versions (
    name text PRIMARY KEY,
    version bigint NOT NULL
);

CREATE FUNCTION list_versions_bump() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO list_versions AS v (name, version) VALUES (TG_ARGV[0], 1)
        ON CONFLICT (name) DO UPDATE SET version = v.version + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER institutions_list_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON institutions
    FOR EACH STATEMENT EXECUTE FUNCTION list_versions_bump('institutions');
CREATE TRIGGER courses_list_version AFTER INSERT OR UPDATE OF slug, title, status OR DELETE OR TRUNCATE ON courses
    FOR EACH STATEMENT EXECUTE FUNCTION list_versions_bump('courses');
