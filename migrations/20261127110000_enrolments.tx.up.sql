-- Enrolments: who takes which course, their progress and completion.

CREATE TABLE enrolments (
    id            bigserial PRIMARY KEY,
    course_id     bigint NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'withdrawn')),
    enrolled_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    enrolled_at   timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz,
    withdrawn_at  timestamptz,
    CONSTRAINT enrolments_course_user_key UNIQUE (course_id, user_id),
    CONSTRAINT enrolments_completed_at_check CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
CREATE INDEX enrolments_user_id_idx ON enrolments (user_id, status);

CREATE TABLE module_completions (
    enrolment_id  bigint NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    module_id     bigint NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    completed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (enrolment_id, module_id)
);
CREATE INDEX module_completions_module_id_idx ON module_completions (module_id);
