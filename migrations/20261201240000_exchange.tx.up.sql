-- The exchange of experiences: an edition with its participating
-- institutions, their delegates and a committee; offers of programmes and
-- the interest other institutions state in them; slots, rooms and the
-- rounds scheduled in them; cooperation actions proposed after a round,
-- reviewed by the committee, decided and followed up.

CREATE TABLE exchanges (
    id          bigserial PRIMARY KEY,
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    starts_on   date NOT NULL,
    ends_on     date NOT NULL,
    -- IANA name: the dates are days in it, and agendas are written in it.
    time_zone   text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
    -- The workshop the exchange happens at, if any.
    event_id    bigint REFERENCES events (id) ON DELETE SET NULL,
    created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on),
    CHECK (ends_on - starts_on <= 366)
);

CREATE TABLE exchange_participants (
    exchange_id     bigint NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
    institution_id  bigint NOT NULL REFERENCES institutions (id) ON DELETE RESTRICT,
    PRIMARY KEY (exchange_id, institution_id)
);

-- A person is the delegate of one institution per exchange.
CREATE TABLE exchange_delegates (
    exchange_id     bigint NOT NULL,
    institution_id  bigint NOT NULL,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (exchange_id, user_id),
    FOREIGN KEY (exchange_id, institution_id) REFERENCES exchange_participants (exchange_id, institution_id) ON DELETE CASCADE
);
CREATE INDEX exchange_delegates_user_id_idx ON exchange_delegates (user_id);
CREATE INDEX exchange_delegates_institution_idx ON exchange_delegates (exchange_id, institution_id);

CREATE TABLE exchange_committee (
    exchange_id  bigint NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (exchange_id, user_id)
);
CREATE INDEX exchange_committee_user_id_idx ON exchange_committee (user_id);

CREATE TABLE exchange_offers (
    id                 bigserial PRIMARY KEY,
    exchange_id        bigint NOT NULL,
    institution_id     bigint NOT NULL,
    title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    summary            text NOT NULL DEFAULT '' CHECK (length(summary) <= 5000),
    -- Theme ids of the library's vocabulary.
    themes             text[] NOT NULL DEFAULT '{}' CHECK (cardinality(themes) <= 10),
    target_population  text NOT NULL DEFAULT '' CHECK (length(target_population) <= 1000),
    results            text NOT NULL DEFAULT '' CHECK (length(results) <= 5000),
    contact            text NOT NULL DEFAULT '' CHECK (length(contact) <= 300),
    created_by         bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, exchange_id),
    FOREIGN KEY (exchange_id, institution_id) REFERENCES exchange_participants (exchange_id, institution_id) ON DELETE RESTRICT
);
CREATE INDEX exchange_offers_exchange_idx ON exchange_offers (exchange_id, id);

-- An institution states interest in an offer once; never in its own
-- (checked by the service, which knows the offer's institution).
CREATE TABLE exchange_interests (
    id              bigserial PRIMARY KEY,
    exchange_id     bigint NOT NULL,
    offer_id        bigint NOT NULL,
    institution_id  bigint NOT NULL,
    -- 1 high … 3 low.
    priority        smallint NOT NULL CHECK (priority BETWEEN 1 AND 3),
    note            text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    created_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT exchange_interests_offer_institution_key UNIQUE (offer_id, institution_id),
    FOREIGN KEY (offer_id, exchange_id) REFERENCES exchange_offers (id, exchange_id) ON DELETE CASCADE,
    FOREIGN KEY (exchange_id, institution_id) REFERENCES exchange_participants (exchange_id, institution_id) ON DELETE RESTRICT
);
CREATE INDEX exchange_interests_exchange_idx ON exchange_interests (exchange_id);

-- Time slots of one exchange never overlap: a delegation in two slots at
-- once would be a double booking no scheduler could see.
CREATE TABLE exchange_slots (
    id           bigserial PRIMARY KEY,
    exchange_id  bigint NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    CHECK (ends_at > starts_at),
    UNIQUE (id, exchange_id),
    CONSTRAINT exchange_slots_no_overlap EXCLUDE USING gist (exchange_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
);

CREATE TABLE exchange_rooms (
    id               bigserial PRIMARY KEY,
    exchange_id      bigint NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    online           boolean NOT NULL DEFAULT false,
    -- When the room can be used; NULL: the whole exchange.
    available_from   timestamptz,
    available_until  timestamptz,
    CHECK (available_until > available_from),
    UNIQUE (id, exchange_id)
);
CREATE UNIQUE INDEX exchange_rooms_name_key ON exchange_rooms (exchange_id, lower(name));

-- A round: one offer presented in one slot and room. One round per
-- offer, one per room and slot.
CREATE TABLE exchange_rounds (
    id           bigserial PRIMARY KEY,
    exchange_id  bigint NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
    offer_id     bigint NOT NULL,
    slot_id      bigint NOT NULL,
    room_id      bigint NOT NULL,
    locked       boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT exchange_rounds_offer_key UNIQUE (offer_id),
    CONSTRAINT exchange_rounds_room_key UNIQUE (slot_id, room_id),
    UNIQUE (id, slot_id),
    FOREIGN KEY (offer_id, exchange_id) REFERENCES exchange_offers (id, exchange_id) ON DELETE CASCADE,
    FOREIGN KEY (slot_id, exchange_id) REFERENCES exchange_slots (id, exchange_id) ON DELETE CASCADE,
    FOREIGN KEY (room_id, exchange_id) REFERENCES exchange_rooms (id, exchange_id) ON DELETE CASCADE
);

-- The delegations in a round: the presenting institution and those it
-- serves. slot_id follows the round (ON UPDATE CASCADE), so moving a
-- round puts its delegations in the new slot, where the unique key
-- refuses a delegation expected in two rounds at once.
CREATE TABLE exchange_round_delegations (
    round_id        bigint NOT NULL,
    slot_id         bigint NOT NULL,
    institution_id  bigint NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
    presenting      boolean NOT NULL,
    PRIMARY KEY (round_id, institution_id),
    CONSTRAINT exchange_round_delegations_busy_key UNIQUE (slot_id, institution_id),
    FOREIGN KEY (round_id, slot_id) REFERENCES exchange_rounds (id, slot_id) ON DELETE CASCADE ON UPDATE CASCADE
);

-- Interests the last scheduling could not serve, and why.
CREATE TABLE exchange_unserved (
    exchange_id     bigint NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
    offer_id        bigint NOT NULL REFERENCES exchange_offers (id) ON DELETE CASCADE,
    institution_id  bigint NOT NULL,
    reason          text NOT NULL CHECK (reason IN ('not_scheduled', 'presenting', 'busy')),
    PRIMARY KEY (offer_id, institution_id)
);
CREATE INDEX exchange_unserved_exchange_idx ON exchange_unserved (exchange_id);

CREATE TABLE exchange_criteria (
    id           bigserial PRIMARY KEY,
    exchange_id  bigint NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    weight       numeric(6,2) NOT NULL CHECK (weight > 0 AND weight <= 100),
    position     integer NOT NULL,
    UNIQUE (exchange_id, name),
    UNIQUE (exchange_id, position)
);

-- A cooperation action: proposed by a delegate of one side (draft),
-- confirmed by the other (proposed), decided by the committee (selected
-- or not_selected), then followed up (in_progress, completed, cancelled).
CREATE TABLE exchange_actions (
    id                        bigserial PRIMARY KEY,
    exchange_id               bigint NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
    round_id                  bigint NOT NULL REFERENCES exchange_rounds (id) ON DELETE RESTRICT,
    type                      text NOT NULL CHECK (type IN ('expert_visit', 'internship', 'study_visit', 'academic_activity',
                                                            'technical_assistance', 'document_exchange', 'other')),
    description               text NOT NULL CHECK (length(description) BETWEEN 1 AND 5000),
    offering_institution_id   bigint NOT NULL REFERENCES institutions (id) ON DELETE RESTRICT,
    demanding_institution_id  bigint NOT NULL REFERENCES institutions (id) ON DELETE RESTRICT,
    duration_days             integer CHECK (duration_days BETWEEN 1 AND 3650),
    estimated_cost            numeric(14,2) CHECK (estimated_cost >= 0),
    status                    text NOT NULL CHECK (status IN ('draft', 'proposed', 'selected', 'not_selected',
                                                              'in_progress', 'completed', 'cancelled')),
    -- The side that proposed it; the other side confirms.
    proposed_by               bigint REFERENCES users (id) ON DELETE SET NULL,
    proposing_institution_id  bigint NOT NULL,
    confirmed_by              bigint REFERENCES users (id) ON DELETE SET NULL,
    confirmed_at              timestamptz,
    decision_reason           text NOT NULL DEFAULT '' CHECK (length(decision_reason) <= 2000),
    funding                   numeric(14,2) CHECK (funding >= 0),
    decided_by                bigint REFERENCES users (id) ON DELETE SET NULL,
    decided_at                timestamptz,
    final_report              text NOT NULL DEFAULT '' CHECK (length(final_report) <= 20000),
    published_at              timestamptz,
    library_ref               text NOT NULL DEFAULT '',
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    CHECK (offering_institution_id <> demanding_institution_id),
    CHECK (proposing_institution_id IN (offering_institution_id, demanding_institution_id)),
    CHECK ((status = 'draft') = (confirmed_at IS NULL)),
    CHECK ((status IN ('draft', 'proposed')) = (decided_at IS NULL))
);
CREATE INDEX exchange_actions_exchange_idx ON exchange_actions (exchange_id, status);

-- One review per committee member and action.
CREATE TABLE exchange_reviews (
    id           bigserial PRIMARY KEY,
    action_id    bigint NOT NULL REFERENCES exchange_actions (id) ON DELETE CASCADE,
    reviewer_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- criterion name → 1..5
    scores       jsonb NOT NULL,
    -- Σ weight × score / Σ weight, when the review was written.
    weighted     numeric(6,3) NOT NULL CHECK (weighted BETWEEN 1 AND 5),
    comment      text NOT NULL DEFAULT '' CHECK (length(comment) <= 5000),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT exchange_reviews_action_reviewer_key UNIQUE (action_id, reviewer_id)
);

CREATE TABLE exchange_milestones (
    id         bigserial PRIMARY KEY,
    action_id  bigint NOT NULL REFERENCES exchange_actions (id) ON DELETE CASCADE,
    title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    due_on     date,
    done_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX exchange_milestones_action_idx ON exchange_milestones (action_id);

-- Dated progress notes; a note may move the action to a new status.
CREATE TABLE exchange_progress (
    id          bigserial PRIMARY KEY,
    action_id   bigint NOT NULL REFERENCES exchange_actions (id) ON DELETE CASCADE,
    note        text NOT NULL CHECK (length(note) BETWEEN 1 AND 5000),
    status      text CHECK (status IN ('in_progress', 'completed', 'cancelled')),
    author_id   bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX exchange_progress_action_idx ON exchange_progress (action_id, created_at);
