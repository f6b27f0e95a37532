package discord

import (
	"testing"

	"github.com/briefbot/briefbot/internal/testwait"
)

// TestMain lets the gateway tests, which mostly wait on their fake
// Discord (and on the one second a session takes to close), run side by
// side beyond one per core.
func TestMain(m *testing.M) { testwait.Main(m, 8) }
