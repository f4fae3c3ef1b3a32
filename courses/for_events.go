package courses

// SearchQuery turns what a person typed into a search box into the
// tsquery the catalogue runs on the aula_search configuration (every word
// a prefix, accents and case ignored), for other catalogues that search
// the same way (events).
func SearchQuery(q string) string { return searchQuery(q) }
