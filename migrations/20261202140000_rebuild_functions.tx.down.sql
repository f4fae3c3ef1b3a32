DROP FUNCTION report_attribute_missing();
DROP FUNCTION quiz_answer_counts_rebuild();
DROP FUNCTION library_search_rebuild();
DROP FUNCTION library_facet_counts_rebuild();
