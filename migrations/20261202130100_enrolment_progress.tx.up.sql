-- Issue 11: a course's gradebook at 100,000 learners.

-- The gradebook counted each row's live modules done and its latest module
-- completion in two subqueries over module_completions per row: at a page
-- of 50 a third of its execution, and in an export (40,000 rows read cold)
-- most of it. The enrolment now keeps both, written by triggers in the
-- transaction that completes, un-completes, archives, restores or deletes,
-- whichever path writes. modules_done counts the completions of modules of
-- the enrolment's course that are not archived (what progress counts);
-- last_module_at is the latest completion of any of its modules.
ALTER TABLE enrolments ADD COLUMN modules_done integer NOT NULL DEFAULT 0,
    ADD COLUMN last_module_at timestamptz;

CREATE FUNCTION courses_count_completion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE enrolments AS e SET
            modules_done = e.modules_done + (SELECT count(*) FROM modules AS m
                WHERE m.id = NEW.module_id AND m.course_id = e.course_id AND m.archived_at IS NULL)::int,
            last_module_at = greatest(e.last_module_at, NEW.completed_at)
        WHERE e.id = NEW.enrolment_id;
    ELSE
        -- A module being deleted has already taken its completions off
        -- (courses_uncount_module, BEFORE DELETE): it is no longer found.
        UPDATE enrolments AS e SET
            modules_done = e.modules_done - (SELECT count(*) FROM modules AS m
                WHERE m.id = OLD.module_id AND m.course_id = e.course_id AND m.archived_at IS NULL)::int,
            last_module_at = (SELECT max(mc.completed_at) FROM module_completions AS mc WHERE mc.enrolment_id = e.id)
        WHERE e.id = OLD.enrolment_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER courses_count_completion AFTER INSERT OR DELETE ON module_completions
    FOR EACH ROW EXECUTE FUNCTION courses_count_completion();

-- Archiving a module takes its completions off each enrolment's count,
-- restoring it puts them back; deleting a live one takes them off before
-- the completions go with it.
CREATE FUNCTION courses_count_module() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta integer;
    m modules;
BEGIN
    IF TG_OP = 'DELETE' THEN
        m := OLD;
        delta := CASE WHEN OLD.archived_at IS NULL THEN -1 ELSE 0 END;
    ELSE
        m := NEW;
        delta := (NEW.archived_at IS NULL)::int - (OLD.archived_at IS NULL)::int;
    END IF;
    IF delta <> 0 THEN
        UPDATE enrolments AS e SET modules_done = e.modules_done + delta
        FROM module_completions AS mc
        WHERE mc.module_id = m.id AND e.id = mc.enrolment_id AND e.course_id = m.course_id;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE TRIGGER courses_count_module_archive AFTER UPDATE OF archived_at ON modules
    FOR EACH ROW WHEN ((OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL)) EXECUTE FUNCTION courses_count_module();
CREATE TRIGGER courses_count_module_delete BEFORE DELETE ON modules
    FOR EACH ROW EXECUTE FUNCTION courses_count_module();

-- An enrolment moved to another course counts the modules of that one.
CREATE FUNCTION courses_count_moved_enrolment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.modules_done := (SELECT count(*) FROM module_completions AS mc JOIN modules AS m ON m.id = mc.module_id
        WHERE mc.enrolment_id = NEW.id AND m.course_id = NEW.course_id AND m.archived_at IS NULL);
    RETURN NEW;
END
$$;

CREATE TRIGGER courses_count_moved_enrolment BEFORE UPDATE OF course_id ON enrolments
    FOR EACH ROW WHEN (OLD.course_id <> NEW.course_id) EXECUTE FUNCTION courses_count_moved_enrolment();

-- Recounts both from the rows: the backfill below, the seeders (which
-- write with triggers off), and the tests that check the triggers.
CREATE FUNCTION courses_progress_rebuild() RETURNS void LANGUAGE sql AS $$
    UPDATE enrolments AS e SET modules_done = k.done, last_module_at = k.last_at
    FROM (SELECT e2.id, coalesce(c.done, 0) AS done, c.last_at
        FROM enrolments AS e2
        LEFT JOIN (SELECT mc.enrolment_id,
                (count(*) FILTER (WHERE m.course_id = en.course_id AND m.archived_at IS NULL))::int AS done,
                max(mc.completed_at) AS last_at
            FROM module_completions AS mc
            JOIN modules AS m ON m.id = mc.module_id
            JOIN enrolments AS en ON en.id = mc.enrolment_id
            GROUP BY mc.enrolment_id) AS c ON c.enrolment_id = e2.id) AS k
    WHERE e.id = k.id AND (e.modules_done, e.last_module_at) IS DISTINCT FROM (k.done, k.last_at);
$$;

SELECT courses_progress_rebuild();
