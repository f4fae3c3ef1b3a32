-- Refuse to roll back while coordinators exist: turning them into another
-- role would silently change what they may see and do. An admin changes
-- their role first.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM users WHERE role = 'coordinator') THEN
        RAISE EXCEPTION 'users with the coordinator role exist; give them another role before rolling back';
    END IF;
END
$$;
ALTER TABLE users DROP CONSTRAINT users_coordinator_institution_check;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('learner', 'instructor', 'admin'));
