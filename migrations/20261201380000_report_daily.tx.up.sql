-- The figures' daily rollup (docs/reports.md, "The daily rollup"): one
-- row per day, institution, course and language with the day's
-- enrolments, completions, certificates and participation certificates,
-- kept by the database itself. Triggers on enrolments and certificates
-- add and subtract each change in the transaction that makes it, so the
-- rollup is never stale and no job has to run. The reports read it
-- instead of scanning a year of facts.

-- The day of an event is its date in the installation's time zone, which
-- the application records here at start (reports.Service.SyncRollupZone
-- rebuilds the rollup when it changes); no row means UTC.
CREATE TABLE report_daily_zone (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    zone     text NOT NULL
);

-- 0 and '' stand for "none" (a person without an institution, a
-- participation certificate's missing course), so they can be in the key.
-- Training hours are not stored: they are completions times the course's
-- current workload, joined when read, as the figures always counted them.
CREATE TABLE report_daily (
    day                 date NOT NULL,
    institution_id      bigint NOT NULL,
    course_id           bigint NOT NULL,
    language            text NOT NULL,
    enrolments          integer NOT NULL DEFAULT 0,
    completions         integer NOT NULL DEFAULT 0,
    certificates        integer NOT NULL DEFAULT 0,
    participation       integer NOT NULL DEFAULT 0,
    participation_hours integer NOT NULL DEFAULT 0,
    PRIMARY KEY (day, institution_id, course_id, language)
);
-- An institution's report reads its own rows only.
CREATE INDEX report_daily_institution_idx ON report_daily (institution_id, day);

-- Which institution each counted fact was attributed to when it happened
-- (kind 'e' an enrolment, 'c' its completion, 'k' a certificate): a
-- withdrawal or revocation subtracts from that institution, even after
-- the person moved to another, so moving never rewrites history.
CREATE TABLE report_attribution (
    kind           "char" NOT NULL CHECK (kind IN ('e', 'c', 'k')),
    fact_id        bigint NOT NULL,
    institution_id bigint NOT NULL,
    PRIMARY KEY (kind, fact_id)
);

-- report_daily_add adds a delta to the row of the day at falls on.
CREATE FUNCTION report_daily_add(p_at timestamptz, p_institution bigint, p_course bigint, p_language text,
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

-- report_attribute records (and returns) the person's institution now
-- as the one a fact that starts counting counts for.
CREATE FUNCTION report_attribute(p_kind "char", p_fact bigint, p_user bigint) RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO report_attribution (kind, fact_id, institution_id)
        VALUES (p_kind, p_fact, coalesce((SELECT institution_id FROM users WHERE id = p_user), 0))
    ON CONFLICT (kind, fact_id) DO UPDATE SET institution_id = EXCLUDED.institution_id
    RETURNING institution_id
$$;

-- report_unattribute forgets a fact that stops counting and returns the
-- institution it counted for.
CREATE FUNCTION report_unattribute(p_kind "char", p_fact bigint) RETURNS bigint LANGUAGE sql AS $$
    WITH d AS (DELETE FROM report_attribution WHERE kind = p_kind AND fact_id = p_fact RETURNING institution_id)
    SELECT coalesce((SELECT institution_id FROM d), 0)
$$;

CREATE FUNCTION report_daily_enrolments() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER report_daily_enrolments AFTER INSERT OR DELETE OR UPDATE OF status, enrolled_at, completed_at, course_id, user_id
    ON enrolments FOR EACH ROW EXECUTE FUNCTION report_daily_enrolments();

-- A certificate counts while not revoked: a course's in certificates, an
-- event's (participation) in participation with the hours it attests.
CREATE FUNCTION report_daily_certificates() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_in boolean := TG_OP <> 'INSERT' AND OLD.revoked_at IS NULL;
    new_in boolean := TG_OP <> 'DELETE' AND NEW.revoked_at IS NULL;
BEGIN
    IF old_in AND new_in AND OLD.issued_at = NEW.issued_at AND OLD.user_id = NEW.user_id
            AND OLD.course_id IS NOT DISTINCT FROM NEW.course_id AND OLD.event_id IS NOT DISTINCT FROM NEW.event_id
            AND OLD.language = NEW.language AND OLD.workload_hours = NEW.workload_hours THEN
        RETURN NULL;
    END IF;
    IF old_in THEN
        PERFORM report_daily_add(OLD.issued_at, report_unattribute('k', OLD.id), OLD.course_id, OLD.language, 0, 0,
            -(OLD.event_id IS NULL)::int, -(OLD.event_id IS NOT NULL)::int,
            -CASE WHEN OLD.event_id IS NOT NULL THEN OLD.workload_hours ELSE 0 END);
    END IF;
    IF new_in THEN
        PERFORM report_daily_add(NEW.issued_at, report_attribute('k', NEW.id, NEW.user_id), NEW.course_id, NEW.language, 0, 0,
            (NEW.event_id IS NULL)::int, (NEW.event_id IS NOT NULL)::int,
            CASE WHEN NEW.event_id IS NOT NULL THEN NEW.workload_hours ELSE 0 END);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER report_daily_certificates AFTER INSERT OR DELETE
    OR UPDATE OF revoked_at, issued_at, user_id, course_id, event_id, language, workload_hours
    ON certificates FOR EACH ROW EXECUTE FUNCTION report_daily_certificates();

-- report_daily_rebuild recounts the rollup from the facts in the time
-- zone p_zone (at install, and when the installation's zone changes),
-- keeping each fact's recorded institution. The lock holds back the
-- triggers of concurrent changes until it commits.
CREATE FUNCTION report_daily_rebuild(p_zone text) RETURNS void LANGUAGE plpgsql AS $$
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

-- The backfill: the facts already there count for their people's
-- institution today (no history of moves was kept before this), then the
-- rollup is counted from them.
INSERT INTO report_attribution (kind, fact_id, institution_id)
    SELECT 'e', e.id, coalesce(u.institution_id, 0) FROM enrolments AS e JOIN users AS u ON u.id = e.user_id
        WHERE e.status IN ('active', 'completed')
    UNION ALL
    SELECT 'c', e.id, coalesce(u.institution_id, 0) FROM enrolments AS e JOIN users AS u ON u.id = e.user_id
        WHERE e.status = 'completed'
    UNION ALL
    SELECT 'k', c.id, coalesce(u.institution_id, 0) FROM certificates AS c JOIN users AS u ON u.id = c.user_id
        WHERE c.revoked_at IS NULL;
SELECT report_daily_rebuild('UTC');
DELETE FROM report_daily_zone; -- UTC, as no row says
