package reports

// SetChunk makes exports read n rows per query, the first one fewer,
// until the returned restore is called, so that a test crosses chunk
// boundaries with a few rows.
func SetChunk(n int) (restore func()) {
	old, oldFirst := chunk, firstChunk
	chunk, firstChunk = n, max(1, n-1)
	return func() { chunk, firstChunk = old, oldFirst }
}

// SetFewEnrolments makes a course of up to n enrolments count as few
// (its gradebook by name read by sorting them) until restore is called.
func SetFewEnrolments(n int) (restore func()) {
	old := fewEnrolments
	fewEnrolments = n
	return func() { fewEnrolments = old }
}
