DROP INDEX IF EXISTS users_search_idx;
DROP FUNCTION IF EXISTS accounts_fold(text);
DROP EXTENSION IF EXISTS pg_trgm;
