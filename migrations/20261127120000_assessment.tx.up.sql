-- Assessment: quizzes, their questions, and learners' attempts.

CREATE TABLE quizzes (
    id                  bigserial PRIMARY KEY,
    course_id           bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    -- NULL: a final exam of the course rather than a module's quiz.
    module_id           bigint REFERENCES modules (id) ON DELETE SET NULL,
    title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    instructions        text NOT NULL DEFAULT '' CHECK (length(instructions) <= 10000),
    -- Required quizzes must be passed (best attempt) to complete the course.
    required            boolean NOT NULL DEFAULT false,
    pass_percent        integer NOT NULL CHECK (pass_percent BETWEEN 0 AND 100),
    max_attempts        integer NOT NULL DEFAULT 0 CHECK (max_attempts >= 0),        -- 0: no limit
    time_limit_seconds  integer NOT NULL DEFAULT 0 CHECK (time_limit_seconds >= 0),  -- 0: no limit
    shuffle             boolean NOT NULL DEFAULT false,
    draw_count          integer NOT NULL DEFAULT 0 CHECK (draw_count >= 0),          -- 0: every question
    review              text NOT NULL DEFAULT 'after_attempt' CHECK (review IN ('never', 'after_attempt', 'after_pass')),
    -- A quiz with attempts is archived, never deleted: results stay.
    archived_at         timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quizzes_course_id_idx ON quizzes (course_id, module_id);
CREATE INDEX quizzes_module_id_idx ON quizzes (module_id);

CREATE TABLE questions (
    id              bigserial PRIMARY KEY,
    quiz_id         bigint NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    -- Order in the pool; ties (possible after archiving) break by id.
    position        integer NOT NULL CHECK (position >= 1),
    kind            text NOT NULL CHECK (kind IN ('single', 'multiple', 'true_false', 'short_text', 'numeric')),
    prompt          text NOT NULL CHECK (length(prompt) BETWEEN 1 AND 2000),
    points          integer NOT NULL CHECK (points BETWEEN 1 AND 1000),
    -- [{"text": …, "correct": bool}]; an option's place is the index learners send.
    options         jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(options) = 'array'),
    partial_credit  boolean NOT NULL DEFAULT false,
    accepted        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(accepted) = 'array'),
    -- The right value of true_false (bool) and numeric (number) questions.
    answer          jsonb CHECK (answer IS NULL OR jsonb_typeof(answer) IN ('boolean', 'number')),
    tolerance       double precision NOT NULL DEFAULT 0 CHECK (tolerance >= 0),
    -- Questions some attempt drew are archived, not deleted, so that attempt
    -- can still be reviewed and counted in the statistics.
    archived_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX questions_quiz_id_idx ON questions (quiz_id, position, id);

CREATE TABLE attempts (
    id              bigserial PRIMARY KEY,
    -- RESTRICT: a quiz with attempts is archived instead (see quizzes.archived_at).
    quiz_id         bigint NOT NULL REFERENCES quizzes (id) ON DELETE RESTRICT,
    enrolment_id    bigint NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 1 for the learner's first attempt at the quiz, 2 for the next…
    number          integer NOT NULL CHECK (number >= 1),
    started_at      timestamptz NOT NULL,
    -- started_at + the quiz's time limit; NULL without a limit.
    deadline        timestamptz CHECK (deadline IS NULL OR deadline >= started_at),
    submitted_at    timestamptz,
    -- Closed by the deadline rather than by the learner.
    timed_out       boolean NOT NULL DEFAULT false,
    score           double precision NOT NULL DEFAULT 0 CHECK (score >= 0),
    max_score       integer NOT NULL DEFAULT 0 CHECK (max_score >= 0),
    percent         double precision NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
    passed          boolean NOT NULL DEFAULT false,
    -- The questions this attempt presents, in order, with each one's option
    -- order: [{"id": 12, "order": [2, 0, 1]}]. Fixed at start.
    layout          jsonb NOT NULL CHECK (jsonb_typeof(layout) = 'array'),
    -- Saved (then submitted) answers by question id, as a submit body's "answers".
    answers         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(answers) = 'object'),
    -- Score of each presented question when graded, by question id.
    scores          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(scores) = 'object'),
    -- The sequence number of the newest save; older or repeated saves are ignored.
    last_save_seq   bigint NOT NULL DEFAULT 0 CHECK (last_save_seq >= 0),
    -- The backstop against concurrent starts making one attempt too many.
    CONSTRAINT attempts_quiz_user_number_key UNIQUE (quiz_id, user_id, number),
    CONSTRAINT attempts_result_check CHECK (submitted_at IS NOT NULL OR (score = 0 AND NOT passed AND NOT timed_out))
);
-- Results of a quiz, newest first.
CREATE INDEX attempts_quiz_started_idx ON attempts (quiz_id, started_at DESC, id DESC);
-- Completion: which required quizzes an enrolment passed.
CREATE INDEX attempts_enrolment_passed_idx ON attempts (enrolment_id, quiz_id) WHERE passed;
-- A learner's attempts across quizzes (and the users foreign key).
CREATE INDEX attempts_user_id_idx ON attempts (user_id, quiz_id);
-- Open attempts past their deadline, closed when next touched.
CREATE INDEX attempts_open_deadline_idx ON attempts (quiz_id, deadline) WHERE submitted_at IS NULL;
