-- Admins search users by a part of the name or email, without accents or
-- case: "conceicao" finds "João Conceição", as the catalogue finds
-- "Proteção" from "protecao". A trigram index over the folded text serves
-- LIKE '%…%' on it. unaccent() is only STABLE (its dictionary could
-- change), so an index needs this IMMUTABLE wrapper naming the dictionary;
-- the dictionary is never changed by Aula.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION accounts_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

CREATE INDEX users_search_idx ON users USING gin (accounts_fold(name || ' ' || email) gin_trgm_ops);
