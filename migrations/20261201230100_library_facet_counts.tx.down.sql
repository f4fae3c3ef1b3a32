DROP TRIGGER library_facet_counts_keep ON library_items;
DROP FUNCTION library_facet_counts_keep();
DROP TABLE library_facet_counts;
