// Command chaos holds the parts of scripts/chaos.sh that are easier in Go:
// a recording fake of the Slack and Discord APIs that digests are posted
// to, a TCP proxy in front of PostgreSQL that can be cut, and the report
// of what was posted against what was due. It is a test tool; the
// briefbot binary does not include it.
//
//	chaos fake   -portfile F -record posts.jsonl      the platforms
//	chaos proxy  -portfile F -to 127.0.0.1:5432       the database's way in
//	chaos report -record posts.jsonl -phases phases.tsv -job schedule:chaos -targets T,...
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage(os.Stderr)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "fake":
		err = runFake(os.Args[2:])
	case "proxy":
		err = runProxy(os.Args[2:])
	case "report":
		var ok bool
		ok, err = runReport(os.Args[2:], os.Stdout)
		if err == nil && !ok {
			os.Exit(1)
		}
	default:
		usage(os.Stderr)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "chaos:", err)
		os.Exit(1)
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: chaos fake|proxy|report [flags]; see scripts/chaos.sh")
}

// writePort writes the port a listener got to path, for the script.
func writePort(path string, addr string) error {
	if path == "" {
		return nil
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(addr+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
