-- Where an item came from when another part of Aula made it rather than
-- a librarian: "exchange-action:<id>" for a cooperation action's final
-- report. Unique, so one action's report is one item however often it is
-- sent; NULL for items catalogued by hand.
ALTER TABLE library_items ADD COLUMN origin text
    CHECK (origin IS NULL OR length(origin) BETWEEN 1 AND 100);
ALTER TABLE library_items ADD CONSTRAINT library_items_origin_key UNIQUE (origin);
