package testwait

import (
	"flag"
	"testing"
)

func TestParallelUnlessGiven(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
	}{
		{nil, 8},
		{[]string{"-test.parallel=3"}, 3},
		{[]string{"-test.parallel=2"}, 2}, // given, even if equal to the default
	} {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		p := fs.Int("test.parallel", 2, "")
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		parallel(fs, 8)
		if *p != tc.want {
			t.Errorf("%v: -test.parallel %d, want %d", tc.args, *p, tc.want)
		}
	}
}
