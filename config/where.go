package config

import (
	"bytes"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Problem is one thing wrong with the configuration and where it was set:
// "briefbot.yaml:7", "environment variable SLACK_MODE", or "config" when
// no one place is to blame (a default, or keys that do not go together).
type Problem struct {
	Where string
	Msg   string
}

func (p Problem) String() string { return p.Where + ": " + p.Msg }

// Problems is every problem found in one configuration. As an error it
// is one problem per line.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// AsProblems returns the problems an error from Load or Validate holds,
// or one problem holding any other error.
func AsProblems(err error) Problems {
	var ps Problems
	if errors.As(err, &ps) {
		return ps
	}
	return Problems{{Where: "config", Msg: err.Error()}}
}

// source records where the keys of a configuration were set.
type source struct {
	file  string
	lines map[string]int    // key path ("slack.mode", "digests.schedules[1].cron") → line
	env   map[string]string // key path → the environment variable that set it
}

// envKeys maps each environment variable to the key it sets.
var envKeys = map[string]string{
	"BRIEFBOT_ADDR": "addr", "BRIEFBOT_CORPUS_DIR": "corpus_dir", "BRIEFBOT_BRIEFS_DIR": "briefs_dir",
	"BRIEFBOT_DATA_DIR": "data_dir", "DATABASE_URL": "database_url",
	"BRIEFBOT_COMMAND_PREFIX": "commands.prefix",
	"BRIEFBOT_LOG_LEVEL":      "log.level", "BRIEFBOT_LOG_FORMAT": "log.format",
	"SLACK_SIGNING_SECRET": "slack.signing_secret", "SLACK_BOT_TOKEN": "slack.bot_token", "SLACK_APP_TOKEN": "slack.app_token",
	"SLACK_API_URL": "slack.api_url", "SLACK_MODE": "slack.mode", "SLACK_MANAGERS": "slack.managers", "SLACK_POST_RATE": "slack.post_rate",
	"DISCORD_BOT_TOKEN": "discord.bot_token", "DISCORD_APP_ID": "discord.app_id", "DISCORD_PUBLIC_KEY": "discord.public_key",
	"DISCORD_API_URL": "discord.api_url", "DISCORD_MODE": "discord.mode", "DISCORD_POST_RATE": "discord.post_rate",
	"DISCORD_SHARD_ROUND": "discord.shard_round",
}

// noteLines records the line of every key of the file's YAML.
func (c *Config) noteLines(path string, raw []byte) {
	c.src.file = path
	c.src.lines = map[string]int{}
	var doc yaml.Node
	if yaml.NewDecoder(bytes.NewReader(raw)).Decode(&doc) != nil || len(doc.Content) == 0 {
		return
	}
	walkLines(doc.Content[0], "", c.src.lines, 0)
}

func walkLines(n *yaml.Node, prefix string, lines map[string]int, depth int) {
	if depth > 16 {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			if prefix != "" {
				key = prefix + "." + key
			}
			lines[key] = n.Content[i].Line
			walkLines(n.Content[i+1], key, lines, depth+1)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			key := prefix + "[" + strconv.Itoa(i) + "]"
			lines[key] = item.Line
			walkLines(item, key, lines, depth+1)
		}
	}
}

// noteEnv records the keys the environment set.
func (c *Config) noteEnv(getenv func(string) string) {
	c.src.env = map[string]string{}
	for name, key := range envKeys {
		if getenv(name) != "" {
			c.src.env[key] = name
		}
	}
}

// Where says where a key was set: the environment variable that set it,
// else its line in the file, else the line of the nearest enclosing key
// in the file (so a problem with a key a section lacks points at the
// section); "" when neither says anything of it.
func (c *Config) Where(path string) string {
	if name, ok := c.src.env[path]; ok {
		return "environment variable " + name
	}
	for p := path; p != ""; p = parentKey(p) {
		if line, ok := c.src.lines[p]; ok {
			return c.src.file + ":" + strconv.Itoa(line)
		}
	}
	return ""
}

// parentKey is the key enclosing a path: "slack" for "slack.mode",
// "digests.schedules" for "digests.schedules[1]".
func parentKey(p string) string {
	if i := strings.LastIndexAny(p, ".["); i > 0 {
		return p[:i]
	}
	return ""
}

// Problem locates a problem about the key at path.
func (c *Config) Problem(path, msg string) Problem {
	where := c.Where(path)
	if where == "" {
		where = "config"
	}
	return Problem{Where: where, Msg: msg}
}

// keyWords finds what may name a key in a message: dotted key paths
// ("slack.signing_secret", "digests.schedules[0].cron") and environment
// variables in capitals.
var keyWords = regexp.MustCompile(`[a-z_]+(?:\[[0-9]+\])?(?:\.[a-z_]+(?:\[[0-9]+\])?)*|[A-Z][A-Z_]+[A-Z]`)

// locate places a message of Validate: at the first key it names that the
// file or the environment set, else at the enclosing section of the first
// key it names, else "config".
func (c *Config) locate(msg string) Problem {
	words := keyWords.FindAllString(msg, -1)
	for _, w := range words {
		if key, ok := envKeys[w]; ok {
			w = key
		}
		if _, isEnv := c.src.env[w]; isEnv {
			return c.Problem(w, msg)
		}
		if _, inFile := c.src.lines[w]; inFile {
			return c.Problem(w, msg)
		}
	}
	for _, w := range words {
		if key, ok := envKeys[w]; ok {
			w = key
		}
		if strings.Contains(w, ".") || w == "slack" || w == "discord" || w == "digests" || w == "log" {
			if where := c.Where(w); where != "" {
				return Problem{Where: where, Msg: msg}
			}
			if name := c.sectionEnv(w); name != "" {
				return Problem{Where: "environment variable " + name, Msg: msg}
			}
		}
	}
	return Problem{Where: "config", Msg: msg}
}

// sectionEnv names an environment variable that set a key of the section
// of a key path ("slack" of "slack.signing_secret"), the first in sorted
// order; "" when none did. A section the environment turned on is where a
// key it lacks was wanted.
func (c *Config) sectionEnv(path string) string {
	section, _, _ := strings.Cut(path, ".")
	var names []string
	for key, name := range c.src.env {
		if strings.HasPrefix(key, section+".") {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	slices.Sort(names)
	return names[0]
}

// yamlLine finds "line N: message" in the YAML library's errors.
var yamlLine = regexp.MustCompile(`line ([0-9]+): (.*)`)

// fileProblems turns an error decoding the file into problems at their
// lines.
func fileProblems(path string, err error) Problems {
	var ps Problems
	for _, line := range strings.Split(strings.TrimPrefix(err.Error(), "yaml: "), "\n") {
		if m := yamlLine.FindStringSubmatch(line); m != nil {
			ps = append(ps, Problem{Where: path + ":" + m[1], Msg: strings.TrimSpace(m[2])})
		}
	}
	if len(ps) == 0 {
		ps = Problems{{Where: path, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	return ps
}
