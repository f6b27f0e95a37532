//go:build tools

// Package tools pins dependencies before the packages that use them exist.
package tools
import (
 _ "github.com/slack-go/slack"
 _ "github.com/slack-go/slack/socketmode"
 _ "github.com/bwmarrin/discordgo"
 _ "github.com/robfig/cron/v3"
 _ "modernc.org/sqlite"
 _ "github.com/jackc/pgx/v5"
 _ "github.com/prometheus/client_golang/prometheus"
 _ "gopkg.in/yaml.v3"
 _ "github.com/fsnotify/fsnotify"
 _ "github.com/chromedp/chromedp"
)
