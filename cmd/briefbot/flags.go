package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

// parseFlags parses a subcommand's arguments with flags anywhere among the
// others, before or after them ("paragraphs d005 --corpus DIR"); "--" ends
// the flags, so words that start with "-" can follow it. It returns the
// other arguments in order; when it returns ok false, the caller returns
// code: 0 after -h, bad usage after an unknown or malformed flag (the flag
// package has said which, and printed the usage).
func parseFlags(fs *flag.FlagSet, args []string) (rest []string, code int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitBadUsage, false
		}
		left := fs.Args()
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			return append(rest, left...), exitOK, true
		}
		if len(left) == 0 {
			return rest, exitOK, true
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// newFlagSet returns the flag set of a subcommand, printing its usage line
// from the subcommand table, then its flags.
func newFlagSet(name string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: briefbot %s\n", usageLine(name))
		fmt.Fprintln(fs.Output(), "Flags may come before or after the other arguments; -- ends them.")
		fs.PrintDefaults()
	}
	return fs
}

// usageLine is a subcommand's usage from its summary ("ask [--format …]
// COMMAND..."), or its name.
func usageLine(name string) string {
	first, _, _ := strings.Cut(name, " ")
	for _, sc := range subcommands() {
		if sc.name == first {
			if i := strings.LastIndex(sc.summary, ": "); i >= 0 {
				return sc.summary[i+2:]
			}
		}
	}
	return name + " [flags]"
}

// globalFlags are the flags that may also come before the subcommand:
// "briefbot --config FILE serve" is "briefbot serve --config FILE".
var globalFlags = []string{"config", "corpus", "briefs"}

// hoistGlobalFlags moves global flags written before the subcommand to
// after it. Any other flag there is refused, naming it.
func hoistGlobalFlags(args []string) ([]string, error) {
	var lead []string
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
		known := false
		for _, g := range globalFlags {
			known = known || g == name
		}
		if !known {
			return nil, fmt.Errorf("flag %s before the subcommand: only --config, --corpus and --briefs may come first", args[0])
		}
		if hasValue {
			lead = append(lead, "--"+name+"="+value)
			args = args[1:]
			continue
		}
		if len(args) < 2 {
			return nil, fmt.Errorf("flag --%s needs a value", name)
		}
		lead = append(lead, "--"+name, args[1])
		args = args[2:]
	}
	if len(args) == 0 {
		return nil, errors.New("no subcommand after the flags")
	}
	return append(append([]string{args[0]}, lead...), args[1:]...), nil
}
