package reports

// SetChunk makes exports read n rows per query until the returned restore
// is called, so that a test crosses chunk boundaries with a few rows.
func SetChunk(n int) (restore func()) {
	old := chunk
	chunk = n
	return func() { chunk = old }
}
