package courses

// SetFewEnrolments makes a course of up to n enrolments count as few (its
// roster read by sorting them) until restore is called.
func SetFewEnrolments(n int) (restore func()) {
	old := fewEnrolments
	fewEnrolments = n
	return func() { fewEnrolments = old }
}
