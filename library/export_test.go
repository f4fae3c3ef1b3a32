package library

// SetSearchLimits makes relevance rank window matches and searches count
// up to count, so that tests cross both bounds with a few dozen items; the
// function returned puts the defaults back.
func SetSearchLimits(window, count int) (restore func()) {
	w, c := rankWindow, countCap
	rankWindow, countCap = window, count
	return func() { rankWindow, countCap = w, c }
}
