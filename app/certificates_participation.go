package app

import "github.com/aula-platform/aula/certificates"

// courseIDOf is a certificate's course for the API: null for a
// certificate of participation, which names an event instead.
func courseIDOf(c *certificates.Certificate) *int64 {
	if c.CourseID == 0 {
		return nil
	}
	id := c.CourseID
	return &id
}

// eventTitleOf is the event a certificate of participation names, "" for
// a completion.
func eventTitleOf(c *certificates.Certificate) string {
	if c.Kind() != certificates.KindParticipation {
		return ""
	}
	return c.CourseTitle
}
