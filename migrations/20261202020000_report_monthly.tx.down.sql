-- Back to the daily rollup alone, with training hours joined when read
-- (the definitions of 20261201380000_report_daily). The hours stored at
-- completion are lost (report_attribution.hours, report_daily.hours:
-- Down asks for them by name when there are any).
DROP INDEX users_enabled_role_idx;
DROP INDEX certificates_issued_at_idx;
CREATE INDEX certificates_issued_at_cover_idx ON certificates (issued_at)
    INCLUDE (user_id, course_id, event_id, workload_hours, language) WHERE revoked_at IS NULL;
CREATE INDEX enrolments_completed_at_cover_idx ON enrolments (completed_at) INCLUDE (user_id, course_id, status)
    WHERE completed_at IS NOT NULL;

CREATE OR REPLACE FUNCTION report_daily_add(p_at timestamptz, p_institution bigint, p_course bigint, p_language text,
        p_enrolments int, p_completions int, p_certificates int, p_participation int, p_participation_hours int)
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO report_daily AS r (day, institution_id, course_id, language, enrolments, completions,
            certificates, participation, participation_hours)
        VALUES ((p_at AT TIME ZONE coalesce((SELECT zone FROM report_daily_zone), 'UTC'))::date, p_institution, coalesce(p_course, 0),
            coalesce(p_language, ''), p_enrolments, p_completions, p_certificates, p_participation, p_participation_hours)
    ON CONFLICT (day, institution_id, course_id, language) DO UPDATE SET
        enrolments = r.enrolments + EXCLUDED.enrolments, completions = r.completions + EXCLUDED.completions,
        certificates = r.certificates + EXCLUDED.certificates, participation = r.participation + EXCLUDED.participation,
        participation_hours = r.participation_hours + EXCLUDED.participation_hours
$$;

CREATE OR REPLACE FUNCTION report_daily_enrolments() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_in boolean := TG_OP <> 'INSERT' AND OLD.status IN ('active', 'completed');
    new_in boolean := TG_OP <> 'DELETE' AND NEW.status IN ('active', 'completed');
    old_done boolean := TG_OP <> 'INSERT' AND OLD.status = 'completed';
    new_done boolean := TG_OP <> 'DELETE' AND NEW.status = 'completed';
    same boolean := TG_OP = 'UPDATE' AND OLD.course_id = NEW.course_id AND OLD.user_id = NEW.user_id;
BEGIN
    IF NOT (old_in AND new_in AND same AND OLD.enrolled_at = NEW.enrolled_at) THEN
        IF old_in THEN
            PERFORM report_daily_add(OLD.enrolled_at, report_unattribute('e', OLD.id), OLD.course_id, '', -1, 0, 0, 0, 0);
        END IF;
        IF new_in THEN
            PERFORM report_daily_add(NEW.enrolled_at, report_attribute('e', NEW.id, NEW.user_id), NEW.course_id, '', 1, 0, 0, 0, 0);
        END IF;
    END IF;
    IF NOT (old_done AND new_done AND same AND OLD.completed_at = NEW.completed_at) THEN
        IF old_done THEN
            PERFORM report_daily_add(OLD.completed_at, report_unattribute('c', OLD.id), OLD.course_id, '', 0, -1, 0, 0, 0);
        END IF;
        IF new_done THEN
            PERFORM report_daily_add(NEW.completed_at, report_attribute('c', NEW.id, NEW.user_id), NEW.course_id, '', 0, 1, 0, 0, 0);
        END IF;
    END IF;
    RETURN NULL;
END
$$;


CREATE OR REPLACE FUNCTION report_daily_rebuild(p_zone text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE report_daily IN EXCLUSIVE MODE;
    INSERT INTO report_daily_zone (zone) VALUES (p_zone) ON CONFLICT (only_row) DO UPDATE SET zone = EXCLUDED.zone;
    DELETE FROM report_daily;
    INSERT INTO report_daily (day, institution_id, course_id, language, enrolments, completions, certificates,
            participation, participation_hours)
    SELECT (f.at AT TIME ZONE p_zone)::date, coalesce(a.institution_id, 0), coalesce(f.course_id, 0), f.language,
            sum(f.enrolments), sum(f.completions), sum(f.certificates), sum(f.participation), sum(f.participation_hours)
        FROM (
            SELECT 'e'::"char" AS kind, e.id, e.enrolled_at AS at, e.course_id, '' AS language,
                    1 AS enrolments, 0 AS completions, 0 AS certificates, 0 AS participation, 0 AS participation_hours
                FROM enrolments AS e WHERE e.status IN ('active', 'completed')
            UNION ALL
            SELECT 'c', e.id, e.completed_at, e.course_id, '', 0, 1, 0, 0, 0
                FROM enrolments AS e WHERE e.status = 'completed'
            UNION ALL
            SELECT 'k', c.id, c.issued_at, c.course_id, c.language, 0, 0, (c.event_id IS NULL)::int,
                    (c.event_id IS NOT NULL)::int, CASE WHEN c.event_id IS NOT NULL THEN c.workload_hours ELSE 0 END
                FROM certificates AS c WHERE c.revoked_at IS NULL
        ) AS f
        LEFT JOIN report_attribution AS a ON a.kind = f.kind AND a.fact_id = f.id
        GROUP BY 1, 2, 3, 4;
END
$$;

DROP FUNCTION report_daily_add(timestamptz, bigint, bigint, text, int, int, int, int, int, int);
DROP TABLE report_monthly_course;
DROP TABLE report_monthly_institution;
ALTER TABLE report_attribution DROP COLUMN hours;
ALTER TABLE report_daily DROP COLUMN hours;
