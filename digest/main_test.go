package digest_test

import (
	"testing"

	"github.com/briefbot/briefbot/internal/testwait"
)

// TestMain lets the tests run on both stores, which mostly wait on the
// databases, run side by side beyond one per core.
func TestMain(m *testing.M) { testwait.Main(m, 8) }
