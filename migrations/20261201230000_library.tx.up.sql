-- The knowledge library: items (publications, country experiences,
-- legislation…), their files and translations, a controlled vocabulary of
-- themes, members' submissions, and the right to catalogue (librarians).

-- A right an admin grants a user on top of their role. Today only
-- "librarian": who catalogues the library and reviews submissions.
CREATE TABLE user_permissions (
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    permission  text NOT NULL CHECK (permission IN ('librarian')),
    granted_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    granted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, permission)
);
CREATE INDEX user_permissions_permission_idx ON user_permissions (permission);

-- Stemmed full-text search per language, accent- and case-insensitive as
-- aula_search is: unaccent first, then the language's Snowball stemmer.
CREATE TEXT SEARCH CONFIGURATION aula_pt (COPY = portuguese);
ALTER TEXT SEARCH CONFIGURATION aula_pt
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, portuguese_stem;
CREATE TEXT SEARCH CONFIGURATION aula_es (COPY = spanish);
ALTER TEXT SEARCH CONFIGURATION aula_es
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
CREATE TEXT SEARCH CONFIGURATION aula_en (COPY = english);
ALTER TEXT SEARCH CONFIGURATION aula_en
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;

-- Snowball's Portuguese stemmer leaves two plurals apart from their
-- singular: "-ões" from "-ão" ("proteção" → proteca, "proteções" →
-- proteco; "pensão", "pensões"), the very words of social protection, and
-- "-ais" from "-al" ("social" → social, "sociais" → soc). Both the indexed
-- text and the query are put in the singular first: every "-ões" is the
-- plural of an "-ão" ("oes" is "ões" typed without accents), and "-ais"
-- after three letters or more is the plural of "-al" (not "mais", "pais").
CREATE FUNCTION library_pt_singular(body text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN regexp_replace(regexp_replace(body, '[oõ]es\M', 'ão', 'gi'), '([[:alpha:]]{3})ais\M', '\1al', 'gi');

-- The text search vector of text written in lang (ISO 639-1): stemmed in
-- Portuguese, Spanish or English, only unaccented in any other language.
CREATE FUNCTION library_tsvector(lang text, body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE lang
        WHEN 'pt' THEN to_tsvector('aula_pt', library_pt_singular(coalesce(body, '')))
        WHEN 'es' THEN to_tsvector('aula_es', coalesce(body, ''))
        WHEN 'en' THEN to_tsvector('aula_en', coalesce(body, ''))
        ELSE to_tsvector('aula_search', coalesce(body, ''))
    END;

-- What a reader typed (a tsquery text of prefix words, built by the
-- library package) as a query in every language at once: a reader does
-- not say which language they search in, and each item's vector was
-- stemmed in its own.
CREATE FUNCTION library_tsquery(q text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN to_tsquery('aula_pt', library_pt_singular(q)) || to_tsquery('aula_es', q)
        || to_tsquery('aula_en', q) || to_tsquery('aula_search', q);

-- The controlled vocabulary of themes, stored by id and labelled in every
-- interface language. Themes are never deleted: items refer to them.
CREATE TABLE library_themes (
    id        bigserial PRIMARY KEY,
    slug      text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 60),
    labels    jsonb NOT NULL CHECK (labels ?& ARRAY['en', 'es', 'pt-BR', 'pt-PT']),
    position  integer NOT NULL
);

INSERT INTO library_themes (slug, position, labels) VALUES
('social-insurance', 1, '{"en": "Social insurance", "es": "Seguro social", "pt-BR": "Seguro social", "pt-PT": "Seguro social"}'),
('social-assistance', 2, '{"en": "Social assistance", "es": "Asistencia social", "pt-BR": "Assistência social", "pt-PT": "Assistência social"}'),
('health-protection', 3, '{"en": "Health protection", "es": "Protección de la salud", "pt-BR": "Proteção da saúde", "pt-PT": "Proteção da saúde"}'),
('pensions', 4, '{"en": "Pensions", "es": "Pensiones", "pt-BR": "Aposentadorias e pensões", "pt-PT": "Pensões"}'),
('unemployment', 5, '{"en": "Unemployment protection", "es": "Protección por desempleo", "pt-BR": "Seguro-desemprego", "pt-PT": "Proteção no desemprego"}'),
('child-benefits', 6, '{"en": "Child and family benefits", "es": "Prestaciones familiares y por hijos", "pt-BR": "Benefícios para crianças e famílias", "pt-PT": "Prestações familiares e abono de família"}'),
('elderly-care', 7, '{"en": "Care for older persons", "es": "Cuidado de las personas mayores", "pt-BR": "Cuidado da pessoa idosa", "pt-PT": "Cuidados às pessoas idosas"}'),
('food-security', 8, '{"en": "Food security", "es": "Seguridad alimentaria", "pt-BR": "Segurança alimentar", "pt-PT": "Segurança alimentar"}'),
('informal-economy', 9, '{"en": "Informal economy", "es": "Economía informal", "pt-BR": "Economia informal", "pt-PT": "Economia informal"}'),
('coverage-extension', 10, '{"en": "Extension of coverage", "es": "Extensión de la cobertura", "pt-BR": "Extensão da cobertura", "pt-PT": "Extensão da cobertura"}');

CREATE TABLE library_items (
    id                 bigserial PRIMARY KEY,
    type               text NOT NULL CHECK (type IN ('publication', 'experience', 'legislation', 'report', 'presentation', 'dataset', 'link')),
    status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'withdrawn')),
    title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    abstract           text NOT NULL DEFAULT '' CHECK (length(abstract) <= 10000),
    -- ISO 639-1 of the title and abstract; languages adds those of the
    -- translations (kept by the library's store).
    language           text NOT NULL CHECK (language ~ '^[a-z]{2}$'),
    languages          text[] NOT NULL CHECK (language = ANY (languages)),
    -- ISO 3166-1 alpha-2 codes, upper case.
    countries          text[] NOT NULL DEFAULT '{}' CHECK (array_to_string(countries, ',') ~ '^([A-Z]{2}(,[A-Z]{2})*)?$'),
    region             text NOT NULL DEFAULT '' CHECK (length(region) <= 200),
    -- library_themes ids (checked by library_items_themes_exist).
    themes             bigint[] NOT NULL DEFAULT '{}',
    -- The year is always known; the day only sometimes, and then in that year.
    year               integer NOT NULL CHECK (year BETWEEN 1800 AND 2200),
    date               date CHECK (date IS NULL OR extract(year FROM date) = year),
    sort_date          date GENERATED ALWAYS AS (coalesce(date, make_date(year, 1, 1))) STORED,
    authors            text[] NOT NULL DEFAULT '{}',
    institution_id     bigint REFERENCES institutions (id) ON DELETE SET NULL,
    target_population  text NOT NULL DEFAULT '' CHECK (length(target_population) <= 500),
    document_type      text NOT NULL DEFAULT '' CHECK (length(document_type) <= 100),
    licence            text NOT NULL DEFAULT '' CHECK (length(licence) <= 200),
    url                text NOT NULL DEFAULT '' CHECK (url = '' OR (url ~ '^https?://' AND length(url) <= 2000)),
    created_by         bigint REFERENCES users (id) ON DELETE SET NULL,
    published_at       timestamptz,
    withdrawn_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    -- Changes with the record harvesters see (OAI-PMH datestamp).
    updated_at         timestamptz NOT NULL DEFAULT now(),
    -- Title, abstract, translations, authors and the text of the files,
    -- each stemmed in its language (library_item_search).
    search             tsvector NOT NULL DEFAULT '',
    in_portuguese      boolean GENERATED ALWAYS AS ('pt' = ANY (languages)) STORED,
    CHECK ((status = 'draft') = (published_at IS NULL)),
    CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL))
);
-- Only published items are searched; fastupdate off as for courses: new
-- items go straight into the index, not a list every search scans.
CREATE INDEX library_items_search_idx ON library_items USING gin (search) WITH (fastupdate = off) WHERE status = 'published';
CREATE INDEX library_items_countries_idx ON library_items USING gin (countries) WHERE status = 'published';
CREATE INDEX library_items_themes_idx ON library_items USING gin (themes) WHERE status = 'published';
CREATE INDEX library_items_languages_idx ON library_items USING gin (languages) WHERE status = 'published';
-- Newest first, with and without Portuguese first.
CREATE INDEX library_items_date_idx ON library_items (sort_date DESC, id DESC) WHERE status = 'published';
CREATE INDEX library_items_pt_date_idx ON library_items (in_portuguese DESC, sort_date DESC, id DESC) WHERE status = 'published';
-- Harvesting (OAI-PMH) and the Atom feed.
CREATE INDEX library_items_harvest_idx ON library_items (updated_at, id) WHERE status <> 'draft';
CREATE INDEX library_items_feed_idx ON library_items (published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX library_items_status_idx ON library_items (status, updated_at DESC);

-- An array cannot hold foreign keys: these triggers keep item themes real.
CREATE FUNCTION library_items_themes_exist() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM unnest(NEW.themes) t WHERE NOT EXISTS (SELECT 1 FROM library_themes WHERE id = t)) THEN
        RAISE foreign_key_violation USING MESSAGE = 'library item refers to an unknown theme',
            CONSTRAINT = 'library_items_themes_fkey';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER library_items_themes_exist BEFORE INSERT OR UPDATE OF themes ON library_items
    FOR EACH ROW EXECUTE FUNCTION library_items_themes_exist();

CREATE FUNCTION library_themes_in_use() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM library_items WHERE OLD.id = ANY (themes)) THEN
        RAISE foreign_key_violation USING MESSAGE = 'library theme is in use',
            CONSTRAINT = 'library_items_themes_fkey';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER library_themes_in_use BEFORE DELETE ON library_themes
    FOR EACH ROW EXECUTE FUNCTION library_themes_in_use();

-- Title and abstract in other languages.
CREATE TABLE library_item_translations (
    item_id   bigint NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
    language  text NOT NULL CHECK (language ~ '^[a-z]{2}$'),
    title     text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    abstract  text NOT NULL DEFAULT '' CHECK (length(abstract) <= 10000),
    PRIMARY KEY (item_id, language)
);

-- Files of an item; the bytes live in the blob store under their SHA-256,
-- shared with course files. The same content attached twice to an item is
-- one file.
CREATE TABLE library_files (
    id                 bigserial PRIMARY KEY,
    item_id            bigint NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
    sha256             text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    file_name          text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    content_type       text NOT NULL,
    size_bytes         bigint NOT NULL CHECK (size_bytes >= 0),
    uploaded_by        bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    -- The text of a PDF, extracted by a background job; NULL until then.
    text               text,
    text_extracted_at  timestamptz,
    UNIQUE (item_id, sha256),
    CHECK ((text IS NULL) = (text_extracted_at IS NULL))
);
CREATE INDEX library_files_sha256_idx ON library_files (sha256);

-- tsvectors joined, as || joins two.
CREATE AGGREGATE library_tsvector_agg(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');

-- The search vector of an item, from its own columns, translations and
-- files: title A, abstract B, authors C, file text D.
CREATE FUNCTION library_item_search(item bigint) RETURNS tsvector LANGUAGE sql STABLE
RETURN (
    SELECT setweight(library_tsvector(i.language, i.title), 'A')
        || setweight(library_tsvector(i.language, i.abstract), 'B')
        || setweight(to_tsvector('aula_search', array_to_string(i.authors, ' ')), 'C')
        || coalesce((SELECT library_tsvector_agg(setweight(library_tsvector(t.language, t.title), 'A')
                   || setweight(library_tsvector(t.language, t.abstract), 'B'))
               FROM library_item_translations t WHERE t.item_id = i.id), '')
        || coalesce((SELECT setweight(library_tsvector(i.language, string_agg(f.text, ' ')), 'D')
               FROM library_files f WHERE f.item_id = i.id AND f.text IS NOT NULL), '')
    FROM library_items i WHERE i.id = item
);

-- Courses that cite an item (and so the items a course cites).
CREATE TABLE library_item_courses (
    item_id    bigint NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
    course_id  bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, course_id)
);
CREATE INDEX library_item_courses_course_idx ON library_item_courses (course_id);

-- A member's proposal of an experience of their institution, until a
-- librarian accepts it (it becomes an item), asks for changes or declines.
CREATE TABLE library_submissions (
    id              bigserial PRIMARY KEY,
    submitted_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    institution_id  bigint REFERENCES institutions (id) ON DELETE SET NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'changes_requested', 'accepted', 'declined')),
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    -- The item's fields as submitted (library.ItemParams), checked by the
    -- library's rules on every submission.
    fields          jsonb NOT NULL,
    note            text NOT NULL DEFAULT '' CHECK (length(note) <= 5000),
    reviewed_by     bigint REFERENCES users (id) ON DELETE SET NULL,
    reviewed_at     timestamptz,
    item_id         bigint REFERENCES library_items (id) ON DELETE RESTRICT,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'accepted') = (item_id IS NOT NULL))
);
CREATE INDEX library_submissions_queue_idx ON library_submissions (status, created_at);
CREATE INDEX library_submissions_user_idx ON library_submissions (submitted_by, created_at DESC);
CREATE UNIQUE INDEX library_submissions_item_idx ON library_submissions (item_id);
