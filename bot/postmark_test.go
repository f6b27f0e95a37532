package bot

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
)

// TestNeverSent: only a failure to connect says nothing was posted.
func TestNeverSent(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("post: %w", &net.OpError{Op: "dial", Err: errors.New("connection refused")}), true},
		{&net.DNSError{Err: "no such host", Name: "slack.com"}, true},
		{&net.OpError{Op: "read", Err: errors.New("connection reset by peer")}, false},
		{context.DeadlineExceeded, false},
		{errors.New("EOF"), false},
	} {
		if got := NeverSent(tc.err); got != tc.want {
			t.Errorf("NeverSent(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
