-- Offers name their themes by the slug of the library's vocabulary
-- (library_themes.slug, unique, never changed or deleted). The exchange
-- used the ten slugs the library's migration seeds before it was wired to
-- the library, so every stored value maps as it is; this trigger keeps it
-- so, as library_items_themes_exist does for items (an array holds no
-- foreign keys).
CREATE FUNCTION exchange_offers_themes_exist() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM unnest(NEW.themes) t WHERE NOT EXISTS (SELECT 1 FROM library_themes WHERE slug = t)) THEN
        RAISE foreign_key_violation USING MESSAGE = 'exchange offer names an unknown theme',
            CONSTRAINT = 'exchange_offers_themes_fkey';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER exchange_offers_themes_exist BEFORE INSERT OR UPDATE OF themes ON exchange_offers
    FOR EACH ROW EXECUTE FUNCTION exchange_offers_themes_exist();

-- Should an offer hold a value the vocabulary lacks (typed in by hand),
-- the migration stops here and names it rather than drop it silently.
DO $$
DECLARE bad text;
BEGIN
    SELECT t INTO bad FROM exchange_offers o, unnest(o.themes) t
    WHERE NOT EXISTS (SELECT 1 FROM library_themes WHERE slug = t) LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'exchange offers name theme %, which library_themes lacks: add it there first', bad;
    END IF;
END $$;
