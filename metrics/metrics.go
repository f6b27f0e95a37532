// Package metrics holds briefbot's Prometheus metrics in a registry of its
// own (never the global default one). Other packages report through the
// small methods here, or through plain callbacks built from them, so none of
// them imports the Prometheus client.
package metrics

import (
	"net/http"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Digest results counted by Digest.
const (
	DigestPosted  = "posted"
	DigestFailed  = "failed"
	DigestSkipped = "skipped"
)

// Metrics is every metric the process exports.
type Metrics struct {
	reg        *prometheus.Registry
	commands   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	sigFails   *prometheus.CounterVec
	limited    *prometheus.CounterVec
	digests    *prometheus.CounterVec
	reloads    *prometheus.CounterVec
	lastFailed prometheus.Gauge
	loadedAt   prometheus.Gauge
	// per dossier
	byDossier     *prometheus.CounterVec
	dossierFailed *prometheus.GaugeVec
}

// New creates the metrics in a fresh registry, with build information and
// the Go and process collectors.
func New(version string) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_commands_total",
			Help: "Commands answered, by platform, command and outcome.",
		}, []string{"platform", "command", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "briefbot_answer_seconds",
			Help:    "Time to build an answer, by platform.",
			Buckets: []float64{.00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
		}, []string{"platform"}),
		sigFails: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_signature_failures_total",
			Help: "Requests refused because their signature did not verify, by platform.",
		}, []string{"platform"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_commands_limited_total",
			Help: "Commands refused for going over the per-user or per-channel limit of this replica, by platform and scope (user, channel).",
		}, []string{"platform", "scope"}),
		digests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_digests_total",
			Help: "Scheduled digests by platform and result (posted, failed, skipped).",
		}, []string{"platform", "result"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_reloads_total",
			Help: "Reloads of the corpus and briefs, by result (ok, failed).",
		}, []string{"result"}),
		lastFailed: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "briefbot_reload_last_failed",
			Help: "1 when the last reload was refused and an older set is being served.",
		}),
		loadedAt: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "briefbot_set_loaded_timestamp_seconds",
			Help: "When the set now being served was loaded (Unix time).",
		}),
	}
	m.byDossier = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "briefbot_dossier_commands_total",
		Help: "Commands answered, by dossier and outcome.",
	}, []string{"dossier", "outcome"})
	m.dossierFailed = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "briefbot_dossier_reload_last_failed",
		Help: "1 when the dossier's last reload was refused and its older set is being served.",
	}, []string{"dossier"})
	m.reg.MustRegister(m.byDossier, m.dossierFailed)
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "briefbot_build_info",
		Help:        "Build information; the value is always 1.",
		ConstLabels: prometheus.Labels{"version": version, "go_version": runtime.Version()},
	})
	build.Set(1)
	for _, r := range []string{"ok", "failed"} {
		m.reloads.WithLabelValues(r)
	}
	for _, p := range []string{"slack", "discord"} {
		m.limited.WithLabelValues(p, "user")
		m.limited.WithLabelValues(p, "channel")
	}
	m.reg.MustRegister(m.limited)
	m.reg.MustRegister(m.commands, m.latency, m.sigFails, m.digests, m.reloads, m.lastFailed, m.loadedAt, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.loadedAt.SetToCurrentTime()
	return m
}

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Command counts one answered command and its latency. Callers pass label
// values from closed sets (the command table, the Outcome constants), never
// what a user typed.
func (m *Metrics) Command(platform, command, outcome string, took time.Duration) {
	m.commands.WithLabelValues(platform, command, outcome).Inc()
	m.latency.WithLabelValues(platform).Observe(took.Seconds())
}

// SignatureFailure counts one request refused for a bad signature.
func (m *Metrics) SignatureFailure(platform string) {
	m.sigFails.WithLabelValues(platform).Inc()
}

// SignatureFailures returns the callback an adapter takes as its
// OnSignatureFailure option.
func (m *Metrics) SignatureFailures(platform string) func() {
	c := m.sigFails.WithLabelValues(platform)
	return c.Inc
}

// Digest counts one scheduled digest: result is DigestPosted, DigestFailed
// or DigestSkipped.
func (m *Metrics) Digest(platform, result string) {
	m.digests.WithLabelValues(platform, result).Inc()
}

// DossierCommand counts one command answered from a dossier (a loaded
// slug, never what a user typed).
func (m *Metrics) DossierCommand(dossier, outcome string) {
	m.byDossier.WithLabelValues(dossier, outcome).Inc()
}

// DossierReload counts one reload of a dossier's corpus and briefs.
func (m *Metrics) DossierReload(dossier string, ok bool) {
	m.Reload(ok)
	v := 1.0
	if ok {
		v = 0
	}
	m.dossierFailed.WithLabelValues(dossier).Set(v)
}

// Reload counts one reload of the corpus and briefs.
func (m *Metrics) Reload(ok bool) {
	if ok {
		m.reloads.WithLabelValues("ok").Inc()
		m.lastFailed.Set(0)
		m.loadedAt.SetToCurrentTime()
		return
	}
	m.reloads.WithLabelValues("failed").Inc()
	m.lastFailed.Set(1)
}

// Limited counts a command refused by the limiter: the Limits.OnLimited
// callback.
func (m *Metrics) Limited(platform, scope string) {
	m.limited.WithLabelValues(platform, scope).Inc()
}
