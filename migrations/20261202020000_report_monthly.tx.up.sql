-- Monthly rollups for the network report and the dashboard, and training
-- hours stored when a course is completed (docs/reports.md, "The daily
-- rollup" and "The monthly rollups").
--
-- Training hours are stored at the time of completion: the course's
-- workload when the person completed it, recorded with the completion's
-- attribution (report_attribution.hours) and added to the rollups then.
-- Like the institution a fact counts for, a report sent to a ministry must
-- not change because a course's workload was edited later. Until now the
-- hours were completions times the course's current workload, joined when
-- read, which kept the course in every rollup key; with the hours stored,
-- the network's tables read rollups without it:
--
--   report_monthly_institution (month, institution): the per-country and
--     per-institution tables and the dashboard's months (2,400 rows a
--     year at 200 institutions, where the daily rollup has 305,000);
--   report_monthly_course (month, course, and the certificate's language
--     for participation certificates, which have no course): the
--     per-language table (6,000 rows a year at 500 courses).
--
-- report_daily_add keeps all three in the transaction that changes a fact,
-- as before. The completions already counted keep the workload their
-- course has now (no history of workloads was kept before), so no report
-- changes on migrating.

ALTER TABLE report_daily ADD COLUMN hours integer NOT NULL DEFAULT 0;
-- A completion's hours; NULL: not recorded yet, for a completion
-- attributed outside the triggers (the scale seeder writes attributions
-- and then rebuilds), which report_daily_rebuild records at the course's
-- workload then. The triggers always record them.
ALTER TABLE report_attribution ADD COLUMN hours integer;

-- month is the first day of the month (in the installation's calendar, as
-- report_daily's days).
CREATE TABLE report_monthly_institution (
    month               date NOT NULL,
    institution_id      bigint NOT NULL,
    enrolments          integer NOT NULL DEFAULT 0,
    completions         integer NOT NULL DEFAULT 0,
    certificates        integer NOT NULL DEFAULT 0,
    participation       integer NOT NULL DEFAULT 0,
    participation_hours integer NOT NULL DEFAULT 0,
    hours               integer NOT NULL DEFAULT 0,
    PRIMARY KEY (month, institution_id)
);

-- language is '' but for course_id 0 (participation certificates): a
-- course's facts count in the course's language, joined when read.
CREATE TABLE report_monthly_course (
    month               date NOT NULL,
    course_id           bigint NOT NULL,
    language            text NOT NULL,
    enrolments          integer NOT NULL DEFAULT 0,
    completions         integer NOT NULL DEFAULT 0,
    certificates        integer NOT NULL DEFAULT 0,
    participation       integer NOT NULL DEFAULT 0,
    participation_hours integer NOT NULL DEFAULT 0,
    hours               integer NOT NULL DEFAULT 0,
    PRIMARY KEY (month, course_id, language)
);

-- report_daily_add adds a delta to the rows of the day and the month at
-- falls on. The rows are taken in one order, the month's course row first
-- (the one a bulk enrolment into one course shares), so two transactions
-- that each touch one course wait for each other instead of deadlocking.
CREATE FUNCTION report_daily_add(p_at timestamptz, p_institution bigint, p_course bigint, p_language text,
        p_enrolments int, p_completions int, p_certificates int, p_participation int, p_participation_hours int,
        p_hours int)
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO report_monthly_course AS r (month, course_id, language, enrolments, completions, certificates,
            participation, participation_hours, hours)
        VALUES (date_trunc('month', p_at AT TIME ZONE coalesce((SELECT zone FROM report_daily_zone), 'UTC'))::date,
            coalesce(p_course, 0), CASE WHEN coalesce(p_course, 0) = 0 THEN coalesce(p_language, '') ELSE '' END,
            p_enrolments, p_completions, p_certificates, p_participation, p_participation_hours, p_hours)
    ON CONFLICT (month, course_id, language) DO UPDATE SET
        enrolments = r.enrolments + EXCLUDED.enrolments, completions = r.completions + EXCLUDED.completions,
        certificates = r.certificates + EXCLUDED.certificates, participation = r.participation + EXCLUDED.participation,
        participation_hours = r.participation_hours + EXCLUDED.participation_hours, hours = r.hours + EXCLUDED.hours;
    INSERT INTO report_monthly_institution AS r (month, institution_id, enrolments, completions, certificates,
            participation, participation_hours, hours)
        VALUES (date_trunc('month', p_at AT TIME ZONE coalesce((SELECT zone FROM report_daily_zone), 'UTC'))::date,
            p_institution, p_enrolments, p_completions, p_certificates, p_participation, p_participation_hours, p_hours)
    ON CONFLICT (month, institution_id) DO UPDATE SET
        enrolments = r.enrolments + EXCLUDED.enrolments, completions = r.completions + EXCLUDED.completions,
        certificates = r.certificates + EXCLUDED.certificates, participation = r.participation + EXCLUDED.participation,
        participation_hours = r.participation_hours + EXCLUDED.participation_hours, hours = r.hours + EXCLUDED.hours;
    INSERT INTO report_daily AS r (day, institution_id, course_id, language, enrolments, completions,
            certificates, participation, participation_hours, hours)
        VALUES ((p_at AT TIME ZONE coalesce((SELECT zone FROM report_daily_zone), 'UTC'))::date, p_institution, coalesce(p_course, 0),
            coalesce(p_language, ''), p_enrolments, p_completions, p_certificates, p_participation, p_participation_hours, p_hours)
    ON CONFLICT (day, institution_id, course_id, language) DO UPDATE SET
        enrolments = r.enrolments + EXCLUDED.enrolments, completions = r.completions + EXCLUDED.completions,
        certificates = r.certificates + EXCLUDED.certificates, participation = r.participation + EXCLUDED.participation,
        participation_hours = r.participation_hours + EXCLUDED.participation_hours, hours = r.hours + EXCLUDED.hours
$$;

-- A completion records, with its institution, the course's workload now:
-- the hours it counts, and subtracts if it ever stops counting.
CREATE OR REPLACE FUNCTION report_daily_enrolments() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_in boolean := TG_OP <> 'INSERT' AND OLD.status IN ('active', 'completed');
    new_in boolean := TG_OP <> 'DELETE' AND NEW.status IN ('active', 'completed');
    old_done boolean := TG_OP <> 'INSERT' AND OLD.status = 'completed';
    new_done boolean := TG_OP <> 'DELETE' AND NEW.status = 'completed';
    same boolean := TG_OP = 'UPDATE' AND OLD.course_id = NEW.course_id AND OLD.user_id = NEW.user_id;
    v_inst bigint;
    v_hours int;
BEGIN
    IF NOT (old_in AND new_in AND same AND OLD.enrolled_at = NEW.enrolled_at) THEN
        IF old_in THEN
            PERFORM report_daily_add(OLD.enrolled_at, report_unattribute('e', OLD.id), OLD.course_id, '', -1, 0, 0, 0, 0, 0);
        END IF;
        IF new_in THEN
            PERFORM report_daily_add(NEW.enrolled_at, report_attribute('e', NEW.id, NEW.user_id), NEW.course_id, '', 1, 0, 0, 0, 0, 0);
        END IF;
    END IF;
    IF NOT (old_done AND new_done AND same AND OLD.completed_at = NEW.completed_at) THEN
        IF old_done THEN
            DELETE FROM report_attribution AS a WHERE a.kind = 'c' AND a.fact_id = OLD.id
                RETURNING a.institution_id, a.hours INTO v_inst, v_hours;
            PERFORM report_daily_add(OLD.completed_at, coalesce(v_inst, 0), OLD.course_id, '', 0, -1, 0, 0, 0, -coalesce(v_hours, 0));
        END IF;
        IF new_done THEN
            INSERT INTO report_attribution AS a (kind, fact_id, institution_id, hours)
                VALUES ('c', NEW.id, coalesce((SELECT u.institution_id FROM users AS u WHERE u.id = NEW.user_id), 0),
                    coalesce((SELECT c.workload_hours FROM courses AS c WHERE c.id = NEW.course_id), 0))
            ON CONFLICT (kind, fact_id) DO UPDATE SET institution_id = EXCLUDED.institution_id, hours = EXCLUDED.hours
            RETURNING a.institution_id, a.hours INTO v_inst, v_hours;
            PERFORM report_daily_add(NEW.completed_at, v_inst, NEW.course_id, '', 0, 1, 0, 0, 0, v_hours);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- The certificates' trigger keeps calling report_daily_add without hours:
-- a certificate counts no training hours (its completion does).
CREATE OR REPLACE FUNCTION report_daily_add(p_at timestamptz, p_institution bigint, p_course bigint, p_language text,
        p_enrolments int, p_completions int, p_certificates int, p_participation int, p_participation_hours int)
    RETURNS void LANGUAGE sql AS $$
    SELECT report_daily_add(p_at, p_institution, p_course, p_language, p_enrolments, p_completions, p_certificates,
        p_participation, p_participation_hours, 0)
$$;

-- report_daily_rebuild recounts the rollups from the facts in the time
-- zone p_zone (at install, and when the installation's zone changes),
-- keeping each fact's recorded institution and each completion's recorded
-- hours (recording the course's workload now for a completion that has
-- none). The locks, in report_daily_add's order, hold back the triggers of
-- concurrent changes until it commits, and the reports' reads too (seconds
-- at scale, at install or a change of zone): the rollups are emptied with
-- TRUNCATE, not DELETE, which left a dead copy of every row behind until
-- VACUUM (a migration cannot run it), and the daily rows go in by
-- institution and day, so an institution's report reads a few pages, not
-- one per row.
CREATE OR REPLACE FUNCTION report_daily_rebuild(p_zone text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE report_monthly_course, report_monthly_institution, report_daily IN ACCESS EXCLUSIVE MODE;
    INSERT INTO report_daily_zone (zone) VALUES (p_zone) ON CONFLICT (only_row) DO UPDATE SET zone = EXCLUDED.zone;
    UPDATE report_attribution AS a SET hours = c.workload_hours
        FROM enrolments AS e JOIN courses AS c ON c.id = e.course_id
        WHERE a.kind = 'c' AND a.hours IS NULL AND e.id = a.fact_id;
    TRUNCATE report_monthly_course, report_monthly_institution, report_daily;
    INSERT INTO report_daily (day, institution_id, course_id, language, enrolments, completions, certificates,
            participation, participation_hours, hours)
    SELECT (f.at AT TIME ZONE p_zone)::date, coalesce(a.institution_id, 0), coalesce(f.course_id, 0), f.language,
            sum(f.enrolments), sum(f.completions), sum(f.certificates), sum(f.participation), sum(f.participation_hours),
            sum(CASE WHEN f.kind = 'c' THEN coalesce(a.hours, f.workload) ELSE 0 END) -- f.workload: no attribution
        FROM (
            SELECT 'e'::"char" AS kind, e.id, e.enrolled_at AS at, e.course_id, '' AS language,
                    1 AS enrolments, 0 AS completions, 0 AS certificates, 0 AS participation, 0 AS participation_hours,
                    0 AS workload
                FROM enrolments AS e WHERE e.status IN ('active', 'completed')
            UNION ALL
            SELECT 'c', e.id, e.completed_at, e.course_id, '', 0, 1, 0, 0, 0, c.workload_hours
                FROM enrolments AS e JOIN courses AS c ON c.id = e.course_id WHERE e.status = 'completed'
            UNION ALL
            SELECT 'k', c.id, c.issued_at, c.course_id, c.language, 0, 0, (c.event_id IS NULL)::int,
                    (c.event_id IS NOT NULL)::int, CASE WHEN c.event_id IS NOT NULL THEN c.workload_hours ELSE 0 END, 0
                FROM certificates AS c WHERE c.revoked_at IS NULL
        ) AS f
        LEFT JOIN report_attribution AS a ON a.kind = f.kind AND a.fact_id = f.id
        GROUP BY 1, 2, 3, 4
        ORDER BY 2, 1;
    INSERT INTO report_monthly_institution (month, institution_id, enrolments, completions, certificates,
            participation, participation_hours, hours)
    SELECT date_trunc('month', r.day)::date, r.institution_id, sum(r.enrolments), sum(r.completions), sum(r.certificates),
            sum(r.participation), sum(r.participation_hours), sum(r.hours)
        FROM report_daily AS r GROUP BY 1, 2;
    INSERT INTO report_monthly_course (month, course_id, language, enrolments, completions, certificates,
            participation, participation_hours, hours)
    SELECT date_trunc('month', r.day)::date, r.course_id, CASE WHEN r.course_id = 0 THEN r.language ELSE '' END,
            sum(r.enrolments), sum(r.completions), sum(r.certificates), sum(r.participation), sum(r.participation_hours),
            sum(r.hours)
        FROM report_daily AS r GROUP BY 1, 2, 3;
END
$$;

-- Counted again in the zone the rollup is in, with the hours of the
-- completions counted so far recorded at their course's workload now.
SELECT report_daily_rebuild(coalesce((SELECT zone FROM report_daily_zone), 'UTC'));
DELETE FROM report_daily_zone WHERE zone = 'UTC'; -- UTC, as no row says
-- Statistics now, not when autovacuum gets to the new tables: without them
-- the planner guesses 25 rows of a month's 2,400 and picks its joins for
-- that.
ANALYZE report_monthly_institution, report_monthly_course, report_daily, report_attribution;

-- Indexes. The figures no longer read the facts by their times, so the
-- covering indexes of 20261201340000 are checked one by one (EXPLAIN at
-- scale, docs/reports.md "Indexes the reports need"):
-- - enrolments_completed_at_cover_idx: nothing reads completions by time
--   any more; dropped.
-- - enrolments_enrolled_at_cover_idx: kept, the gradebook's "newest
--   enrolments" order of a big course walks it (14 ms; 46 ms without).
-- - certificates_issued_at_cover_idx: replaced by (issued_at, id), every
--   certificate: the dashboard's ten latest and the certificates' list
--   order by issued_at DESC, id DESC, which the cover index served with a
--   sort of every certificate sharing the newest time (13,000 at scale,
--   50 ms); the columns it held were the old figures'.
DROP INDEX enrolments_completed_at_cover_idx;
DROP INDEX certificates_issued_at_cover_idx;
CREATE INDEX certificates_issued_at_idx ON certificates (issued_at, id);
-- The dashboard counts the enabled learners: with this index (tiny, as
-- its keys repeat) from the index alone instead of reading every user.
CREATE INDEX users_enabled_role_idx ON users (role) WHERE NOT disabled;
