DROP INDEX certificates_search_idx;
