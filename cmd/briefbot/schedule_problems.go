package main

import (
	"regexp"
	"strings"

	"github.com/briefbot/briefbot/config"
)

// scheduleLine is one problem of the configured schedules as the digest
// feature words it: "digests.schedules[2] (name): message".
var scheduleLine = regexp.MustCompile(`^(?:config: )?(digests\.schedules\[[0-9]+\])(?: \([^)]*\))?: (.*)$`)

// scheduleProblems turns the error of checking the configured schedules
// into problems of the configuration, each at the line of the key it is
// about (the cron spec, zone, kind, targets or name of that schedule), like
// every other problem of the configuration.
func scheduleProblems(cfg *config.Config, err error) config.Problems {
	var ps config.Problems
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimPrefix(strings.TrimSpace(line), "config: ")
		if line == "" {
			continue
		}
		m := scheduleLine.FindStringSubmatch(line)
		if m == nil {
			ps = append(ps, config.Problem{Where: "config", Msg: line})
			continue
		}
		ps = append(ps, cfg.Problem(m[1]+"."+scheduleKey(m[2]), line))
	}
	return ps
}

// scheduleKey names the key of a schedule a problem is about.
func scheduleKey(msg string) string {
	switch {
	case strings.HasPrefix(msg, "name"):
		return "name"
	case strings.HasPrefix(msg, "zone"):
		return "zone"
	case strings.HasPrefix(msg, "kind"):
		return "kind"
	case strings.HasPrefix(msg, "target"), strings.HasPrefix(msg, "no targets"):
		return "targets"
	}
	return "cron"
}
