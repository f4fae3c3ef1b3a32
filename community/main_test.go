package community_test

import (
	"testing"

	"github.com/aula-platform/aula/migrations/testdb"
)

// TestMain drops this run's test databases when the package's tests end.
func TestMain(m *testing.M) { testdb.Main(m) }
