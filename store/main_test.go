package store_test

import (
	"testing"

	"github.com/briefbot/briefbot/internal/testwait"
)

// TestMain lets the PostgreSQL suites, each on a database of its own and
// mostly waiting on the server, run side by side beyond one per core.
func TestMain(m *testing.M) { testwait.Main(m, 8) }
