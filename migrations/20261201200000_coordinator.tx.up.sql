-- Coordinators: a member institution's training focal point. They act for
-- one institution only, so a coordinator without one is refused here as
-- well as in accounts.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('learner', 'instructor', 'coordinator', 'admin'));
ALTER TABLE users ADD CONSTRAINT users_coordinator_institution_check
    CHECK (role <> 'coordinator' OR institution_id IS NOT NULL);
