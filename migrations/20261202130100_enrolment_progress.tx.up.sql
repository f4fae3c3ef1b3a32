-- Issue 11: a course's gradebook at 100,000 learners.

-- The gradebook counted each row's live modules done and its latest module
-- completion in two subqueries over module_completions per row: at a page
-- of 50 a third of its execution, and in an export (40,000 rows read cold)
-- most of it. The enrolment now keeps both, written by triggers in the
-- transaction that completes, un-completes or deletes, whichever path
-- writes: modules_completed, the completions of its course's modules
-- (archived ones included), and last_module_at, the latest completion.
--
-- Archived modules are left out when read (courses.ReportEnrolments takes
-- off the completions of the course's archived modules, which are few and
-- mostly none), not when kept: a count of live modules kept here had to
-- change when a module is archived, and an archive racing a completion of
-- the same module could each miss the other (the completion seeing the
-- module live, the archive not yet seeing the completion) and leave the
-- count wrong for good. A completion locks its enrolment first, so
-- completions of one enrolment add up in turn.
-- The archived modules of a course, for that: an empty index probe per row
-- where a scan of the course's modules read their rows.
CREATE INDEX modules_archived_idx ON modules (course_id) WHERE archived_at IS NOT NULL;

ALTER TABLE enrolments ADD COLUMN modules_completed integer NOT NULL DEFAULT 0,
    ADD COLUMN last_module_at timestamptz;

CREATE FUNCTION courses_count_completion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE enrolments AS e SET
            modules_completed = e.modules_completed + (SELECT count(*) FROM modules AS m
                WHERE m.id = NEW.module_id AND m.course_id = e.course_id)::int,
            last_module_at = greatest(e.last_module_at, NEW.completed_at)
        WHERE e.id = NEW.enrolment_id;
    ELSE
        -- A module being deleted has already taken its completions off
        -- (courses_uncount_module, BEFORE DELETE): it is no longer found.
        UPDATE enrolments AS e SET
            modules_completed = e.modules_completed - (SELECT count(*) FROM modules AS m
                WHERE m.id = OLD.module_id AND m.course_id = e.course_id)::int,
            last_module_at = (SELECT max(mc.completed_at) FROM module_completions AS mc WHERE mc.enrolment_id = e.id)
        WHERE e.id = OLD.enrolment_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER courses_count_completion AFTER INSERT OR DELETE ON module_completions
    FOR EACH ROW EXECUTE FUNCTION courses_count_completion();

-- Deleting a module takes its completions off before they go with it
-- (modules are deleted only from courses nobody enrolled in; archived
-- otherwise).
CREATE FUNCTION courses_uncount_module() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE enrolments AS e SET modules_completed = e.modules_completed - 1
    FROM module_completions AS mc
    WHERE mc.module_id = OLD.id AND e.id = mc.enrolment_id AND e.course_id = OLD.course_id;
    RETURN OLD;
END
$$;

CREATE TRIGGER courses_uncount_module BEFORE DELETE ON modules
    FOR EACH ROW EXECUTE FUNCTION courses_uncount_module();

-- An enrolment moved to another course counts the modules of that one.
CREATE FUNCTION courses_count_moved_enrolment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.modules_completed := (SELECT count(*) FROM module_completions AS mc JOIN modules AS m ON m.id = mc.module_id
        WHERE mc.enrolment_id = NEW.id AND m.course_id = NEW.course_id);
    RETURN NEW;
END
$$;

CREATE TRIGGER courses_count_moved_enrolment BEFORE UPDATE OF course_id ON enrolments
    FOR EACH ROW WHEN (OLD.course_id <> NEW.course_id) EXECUTE FUNCTION courses_count_moved_enrolment();

-- Recounts both from the rows: the backfill below, the seeders (which
-- write with triggers off), and the tests that check the triggers.
CREATE FUNCTION courses_progress_rebuild() RETURNS void LANGUAGE sql AS $$
    UPDATE enrolments AS e SET modules_completed = k.done, last_module_at = k.last_at
    FROM (SELECT e2.id, coalesce(c.done, 0) AS done, c.last_at
        FROM enrolments AS e2
        LEFT JOIN (SELECT mc.enrolment_id, (count(*) FILTER (WHERE m.course_id = en.course_id))::int AS done,
                max(mc.completed_at) AS last_at
            FROM module_completions AS mc
            JOIN modules AS m ON m.id = mc.module_id
            JOIN enrolments AS en ON en.id = mc.enrolment_id
            GROUP BY mc.enrolment_id) AS c ON c.enrolment_id = e2.id) AS k
    WHERE e.id = k.id AND (e.modules_completed, e.last_module_at) IS DISTINCT FROM (k.done, k.last_at);
$$;

SELECT courses_progress_rebuild();
