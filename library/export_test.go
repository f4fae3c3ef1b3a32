package library

// SetSearchLimits makes relevance rank window matches and searches count
// up to count, so that tests cross both bounds with a few dozen items; the
// function returned puts the defaults back.
func SetSearchLimits(window, count int) (restore func()) {
	w, c := rankWindow, countCap
	rankWindow, countCap = window, count
	return func() { rankWindow, countCap = w, c }
}

// KeepNoSearches makes s run every search whole, as before searches were
// kept; the function returned keeps them again.
func KeepNoSearches(s *Service) (restore func()) {
	s.searches.mu.Lock()
	s.searches.off = true
	s.searches.mu.Unlock()
	return func() {
		s.searches.mu.Lock()
		s.searches.off = false
		s.searches.mu.Unlock()
	}
}
