package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…"; "dev"
// otherwise, when the module version from the build info says more.
var version = "dev"

// modulePath is the module that `go install …/cmd/briefbot@version` builds.
const modulePath = "github.com/briefbot/briefbot"

func runVersion(_ context.Context, args []string, e env) int {
	rest, code, ok := parseFlags(newFlagSet("version", e), args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "briefbot version: unexpected argument %q\n", rest[0])
		return exitBadUsage
	}
	info, _ := debug.ReadBuildInfo()
	fmt.Fprintln(e.stdout, "briefbot", versionLine(version, info))
	return exitOK
}

// versionString is the short version for metrics and logs: the release
// and the Go version.
func versionString() string {
	info, _ := debug.ReadBuildInfo()
	v := releaseOf(version, info)
	if info != nil {
		v += " (" + info.GoVersion + ")"
	}
	return v
}

// releaseOf is the version set at build time, else the module version
// that go install recorded (v1.2.3, or a pseudo-version), else "dev".
func releaseOf(set string, info *debug.BuildInfo) string {
	if set != "dev" && set != "" {
		return set
	}
	if info != nil && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// versionLine says what this binary is: the release, the module and its
// version, the revision it was built from (and whether the tree had
// changes), when, and with which Go.
func versionLine(set string, info *debug.BuildInfo) string {
	parts := []string{releaseOf(set, info)}
	if info == nil {
		return parts[0] + " (no build information)"
	}
	mod := info.Main.Path
	if mod == "" {
		mod = modulePath
	}
	if v := info.Main.Version; v != "" {
		mod += "@" + v
	}
	parts = append(parts, "module "+mod)
	vcs := map[string]string{}
	for _, s := range info.Settings {
		vcs[s.Key] = s.Value
	}
	if rev := vcs["vcs.revision"]; rev != "" {
		r := "revision " + rev
		if vcs["vcs.modified"] == "true" {
			r += " (modified)"
		}
		if t := vcs["vcs.time"]; t != "" {
			r += " of " + t
		}
		parts = append(parts, r)
	} else {
		parts = append(parts, "revision unknown (built outside a git checkout, or with -buildvcs=false)")
	}
	parts = append(parts, info.GoVersion)
	return strings.Join(parts, ", ")
}
