// The briefbot console. Every piece of text from a reply, a payload or the
// user is put on the page with textContent or as an attribute value checked
// here; no string is ever parsed as HTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  // el builds an element: el("p", {class: "x"}, "text", child, ...).
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) {
      if (c === undefined || c === null || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  // safeURL returns an http(s) URL or null.
  function safeURL(raw) {
    try {
      const u = new URL(raw);
      return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
    } catch (_) {
      return null;
    }
  }

  async function getJSON(url, opts) {
    const resp = await fetch(url, opts);
    let body = null;
    try { body = await resp.json(); } catch (_) { /* not JSON */ }
    if (!resp.ok && !(body && (body.checks || body.error))) {
      throw new Error(url + ": HTTP " + resp.status);
    }
    return { status: resp.status, body: body };
  }

  // ---------------------------------------------------------------- state

  const state = {
    commands: [],         // GET /api/commands
    byName: new Map(),
    items: [],            // current suggestions: {label, detail, apply()}
    asked: "",            // the hash of the answer shown
    active: -1,           // highlighted suggestion
    seq: 0,               // drops stale completion answers
    history: [],
  };

  // ------------------------------------------------------------- the hints

  // parseInput splits what is typed into the command, the finished
  // arguments and the word being typed.
  function parseInput(v) {
    const s = v.replace(/^\s+/, "").replace(/^\//, "");
    const sp = s.search(/\s/);
    if (sp < 0) return { name: s.toLowerCase(), naming: true };
    const rest = s.slice(sp + 1).replace(/^\s+/, "");
    const words = rest.length ? rest.split(/\s+/) : [];
    const endsInSpace = /\s$/.test(rest) || rest.length === 0;
    const current = endsInSpace ? "" : words.pop();
    return { name: s.slice(0, sp).toLowerCase(), naming: false, done: words, current: current };
  }

  async function updateHints() {
    const input = $("command");
    const p = parseInput(input.value);
    const seq = ++state.seq;
    if (!state.commands.length) return; // the table is still loading
    if (/^\s*[^\s\/]/.test(input.value)) {
      showHint("A question in your own words is asked as /ask — press Enter. Start with / for a command.");
      setSuggestions([]);
      return;
    }
    if (p.naming) {
      const matches = state.commands.filter((c) =>
        c.name.startsWith(p.name) || (c.also || []).some((a) => a.startsWith(p.name)));
      showHint(matches.length === 1 ? usageHint(matches[0], -1) :
        matches.length ? "Commands: pick one, or keep typing." : "No command starts with “/" + p.name + "”. Try /help.");
      setSuggestions(matches.map((c) => ({
        label: "/" + c.name, detail: c.usage + " — " + c.summary + (platformNames(c) ? " (" + platformNames(c) + ")" : ""),
        apply: () => setInput("/" + c.name + (c.args.length ? " " : "")),
      })));
      return;
    }
    const cmd = state.byName.get(p.name);
    if (!cmd) {
      showHint("Unknown command “/" + p.name + "”. Ask anyway to see what the bot says, or try /help.");
      setSuggestions([]);
      return;
    }
    const idx = Math.min(p.done.length, cmd.args.length - 1);
    if (cmd.args.length === 0 || p.done.length >= cmd.args.length) {
      showHint(usageHint(cmd, -1));
      setSuggestions([]);
      return;
    }
    const arg = cmd.args[idx];
    showHint(usageHint(cmd, idx));
    let choices = [];
    if (arg.choices && arg.choices.length) {
      choices = arg.choices.filter((c) => c.startsWith(p.current.toLowerCase())).map((c) => ({ name: c, value: c }));
    } else if (["actor", "option", "person", "document", "command"].includes(arg.kind)) {
      try {
        const q = new URLSearchParams({ kind: arg.kind, q: p.current, n: "8", dossier: $("dossier").value });
        const r = await getJSON("/api/complete?" + q.toString());
        choices = Array.isArray(r.body) ? r.body : [];
      } catch (_) {
        choices = [];
      }
    }
    if (seq !== state.seq) return; // the user typed on, or asked
    if (choices.length === 1 && choices[0].value === p.current) choices = []; // already complete
    const more = idx < cmd.args.length - 1;
    setSuggestions(choices.map((c) => ({
      label: c.value, detail: c.name !== c.value ? c.name : "",
      apply: () => {
        const parts = ["/" + cmd.name].concat(p.done, [c.value]);
        setInput(parts.join(" ") + (more ? " " : ""));
      },
    })));
  }

  // usageHint shows the usage line with the argument being typed marked,
  // and that argument's description.
  function usageHint(cmd, idx) {
    const frag = document.createDocumentFragment();
    frag.append("/" + cmd.name);
    cmd.args.forEach((a, i) => {
      const t = a.required ? "<" + a.name + ">" : "[" + a.name + "]";
      frag.append(" ", i === idx ? el("span", { class: "cur" }, t) : t);
    });
    const arg = idx >= 0 ? cmd.args[idx] : null;
    frag.append(" — ", arg ? arg.description : cmd.summary);
    const elsewhere = platformNames(cmd);
    if (elsewhere) frag.append(" (" + elsewhere + ")");
    return frag;
  }

  // platformNames says how a platform previewed here names the command,
  // where it differs from the console: "on Slack: /whois <person>".
  function platformNames(cmd) {
    const ps = cmd.platforms || {};
    return Object.keys(ps).sort().map((p) =>
      "on " + p.charAt(0).toUpperCase() + p.slice(1) + ": " + ps[p]).join("; ");
  }

  function showHint(content) {
    const h = $("hint");
    h.replaceChildren(content);
  }

  function setSuggestions(items) {
    state.items = items;
    state.active = -1;
    const ul = $("suggestions");
    ul.replaceChildren(...items.map((it, i) => {
      const li = el("li", { role: "option", id: "sug-" + i, "aria-selected": "false" },
        el("span", { class: "s-name" }, it.label),
        it.detail ? el("span", { class: "s-detail" }, it.detail) : null);
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); choose(i); });
      return li;
    }));
    const open = items.length > 0 && document.activeElement === $("command");
    ul.hidden = !open;
    $("command").setAttribute("aria-expanded", String(open));
  }

  function highlight(i) {
    const lis = $("suggestions").children;
    if (!lis.length) return;
    state.active = (i + lis.length) % lis.length;
    for (let k = 0; k < lis.length; k++) lis[k].setAttribute("aria-selected", String(k === state.active));
    lis[state.active].scrollIntoView({ block: "nearest" });
    $("command").setAttribute("aria-activedescendant", "sug-" + state.active);
  }

  function choose(i) {
    const it = state.items[i];
    if (it) it.apply();
  }

  function setInput(v) {
    const input = $("command");
    input.value = v;
    input.focus();
    input.setSelectionRange(v.length, v.length);
    updateHints();
  }

  function closeSuggestions() {
    $("suggestions").hidden = true;
    $("command").setAttribute("aria-expanded", "false");
    $("command").removeAttribute("aria-activedescendant");
    state.active = -1;
  }

  function onKey(ev) {
    const open = !$("suggestions").hidden && state.items.length > 0;
    switch (ev.key) {
      case "ArrowDown":
        if (open) { ev.preventDefault(); highlight(state.active + 1); }
        else { ev.preventDefault(); updateHints(); }
        break;
      case "ArrowUp":
        if (open) { ev.preventDefault(); highlight(state.active - 1); }
        break;
      case "Tab":
        if (open) { ev.preventDefault(); choose(state.active >= 0 ? state.active : 0); }
        break;
      case "Enter":
        if (open && state.active >= 0) { ev.preventDefault(); choose(state.active); }
        break;
      case "Escape":
        closeSuggestions();
        break;
    }
  }

  // -------------------------------------------------------------- asking

  // ask sends a command and shows the answer.
  async function ask(command) {
    command = command.trim();
    if (!command) {
      showHint(el("span", { class: "nudge" }, "Type a command first, e.g. /help, or a question in your own words — or pick an example below."));
      $("command").focus();
      return;
    }
    state.seq++; // drop hints still on their way
    closeSuggestions();
    $("error").hidden = true;
    let r;
    try {
      r = await getJSON("/api/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ command: command, dossier: $("dossier").value }),
      });
    } catch (e) {
      showError("Could not reach the bot: " + e.message);
      return;
    }
    if (r.status !== 200) {
      showError((r.body && r.body.error) || "The bot answered HTTP " + r.status);
      return;
    }
    showReply(r.body);
    remember(command);
    const hash = "#" + encodeURIComponent(command);
    state.asked = hash;
    if (location.hash !== hash) {
      if (parseRoute(location.hash).view === "ask") history.replaceState(null, "", hash);
      else history.pushState(null, "", hash);
    }
    setView("ask");
  }

  function showError(msg) {
    const e = $("error");
    e.textContent = msg;
    e.hidden = false;
  }

  function showReply(resp) {
    $("results").hidden = false;
    $("answer").replaceChildren(renderReply(resp, "ans"));
    $("answer-json").textContent = JSON.stringify(resp, (k, v) => (k === "previews" ? undefined : v), 2);
    const pv = resp.previews || {};
    showPreview($("preview-slack"), $("preview-slack-json"), "slack", pv.slack, renderSlack);
    showPreview($("preview-discord"), $("preview-discord-json"), "discord", pv.discord, renderDiscord);
  }

  // showPreview draws a platform's rendering of a reply, one tab per form
  // it takes (private reply, shared post, digest), each labelled, and the
  // payload of the form shown below.
  function showPreview(box, raw, platform, pv, render) {
    if (!pv) {
      box.replaceChildren(el("p", { class: "missing" },
        "This build has no " + platform + " renderer, so there is no preview; the answer on the left is the reply itself."));
      raw.textContent = "";
      return;
    }
    if (pv.error || !(pv.forms && pv.forms.length)) {
      box.replaceChildren(el("p", { class: "missing" }, "No preview: " + (pv.error || "nothing rendered")));
      raw.textContent = "";
      return;
    }
    const tabs = el("div", { class: "forms", role: "tablist", "aria-label": platform + " forms" });
    const panel = el("div", { class: "form-panel", role: "tabpanel" });
    const pick = (i) => {
      const f = pv.forms[i];
      [...tabs.children].forEach((b, k) => b.setAttribute("aria-selected", String(k === i)));
      raw.textContent = JSON.stringify(f.payload, null, 2);
      let drawn;
      try {
        drawn = render(f.payload, f.files || {});
      } catch (e) {
        drawn = el("p", { class: "missing" }, "Could not draw this payload (" + e.message + "); see it below.");
      }
      panel.replaceChildren(el("p", { class: "form-label", "data-form": f.form }, f.label), drawn);
    };
    pv.forms.forEach((f, i) => {
      const b = el("button", { type: "button", role: "tab", class: "form-tab", "data-form": f.form, "aria-selected": "false" }, formNames[f.form] || f.form);
      b.addEventListener("click", () => pick(i));
      tabs.append(b);
    });
    box.replaceChildren(...(pv.forms.length > 1 ? [tabs] : []), panel);
    pick(0);
  }

  const formNames = { private: "Private reply", shared: "Shared post", digest: "Digest" };

  function remember(command) {
    state.history = [command].concat(state.history.filter((c) => c !== command)).slice(0, 20);
    $("history-pane").hidden = false;
    $("history").replaceChildren(...state.history.map((c) => {
      const b = el("button", { type: "button" }, c);
      b.addEventListener("click", () => { $("command").value = c; ask(c); });
      return el("li", {}, b);
    }));
  }

  // ------------------------------------------------- the structured reply

  const outcomeLabel = {
    ok: "answered", not_found: "not found", usage: "usage", unknown_command: "unknown command",
    denied: "not allowed", error: "error",
  };

  // renderText draws a Text (spans); spans a user typed are marked.
  function renderText(text) {
    const frag = document.createDocumentFragment();
    for (const s of text || []) {
      frag.append(s.user ? el("span", { class: "user", title: "as typed" }, s.text) : document.createTextNode(s.text));
    }
    return frag;
  }

  // renderReply draws a reply; prefix keeps anchors apart when several
  // replies share the page.
  function renderReply(r, prefix) {
    const art = el("article", { class: "reply", "data-outcome": r.outcome });
    art.append(el("h3", { class: "title" }, r.title));
    art.append(el("div", { class: "meta" },
      el("span", { class: "badge " + r.outcome }, outcomeLabel[r.outcome] || r.outcome),
      r.command ? el("span", {}, "/" + r.command) : null,
      r.as_of ? el("span", { class: "asof" }, "As of " + r.as_of) : null,
      r.private ? el("span", {}, "· only the asker sees this") : el("span", {}, "· posted in the channel")));
    if (r.intro && r.intro.length) art.append(el("p", { class: "intro" }, renderText(r.intro)));
    for (const s of r.sections || []) {
      const sec = el("section", {});
      if (s.heading) sec.append(el("h4", {}, s.heading));
      if (s.table) sec.append(renderTable(s.table, r, prefix));
      else if (s.pre) sec.append(el("pre", { class: "block" }, s.pre));
      if (s.bullets && s.bullets.length) {
        sec.append(el("ul", { class: "bullets" }, ...s.bullets.map((b) => renderBullet(b, r, prefix))));
      }
      art.append(sec);
    }
    if (r.sources && r.sources.length) {
      art.append(el("footer", { class: "sources" }, el("h4", {}, "Sources"),
        el("ol", {}, ...r.sources.map((s) => el("li", { id: prefix + "-src-" + s.n, value: s.n },
          el("a", { href: docHref(s.doc, ""), class: "src-title" }, el("strong", {}, s.title)), s.url ? linked(s.url, " ↗") : null, " ",
          el("span", { class: "doc" }, "(" + s.doc + ")"), " — ", label(s))))));
    }
    return art;
  }

  // renderTable draws a table of the reply (the position matrix) as an HTML
  // table: a row per row, a column per column, each stated cell coloured by
  // its stances (own part, then what is backed for others) and a button
  // that opens, under the table, the claims behind it.
  function renderTable(t, r, prefix) {
    const wrap = el("div", { class: "table-wrap" });
    const claims = el("div", { class: "cell-claims", hidden: true, "aria-live": "polite" });
    const head = el("tr", {}, el("th", { scope: "col", class: "corner" }, t.corner || ""),
      ...t.columns.map((c) => el("th", { scope: "col", class: "col", title: c.label }, el("span", {}, c.label))));
    const rows = t.rows.map((row) => el("tr", {}, el("th", { scope: "row" }, row.label),
      ...row.cells.map((c, j) => tableCell(t, row, c, j, r, prefix, claims))));
    wrap.append(el("table", { class: "matrix" }, el("caption", { class: "visually-hidden" }, t.caption || ""),
      el("thead", {}, head), el("tbody", {}, ...rows)));
    const key = el("ul", { class: "table-key" }, ...(t.key || []).map((k) =>
      el("li", {}, el("span", { class: "key-code" + (k.tone ? " tone-" + k.tone : "") }, k.code), " " + k.meaning)));
    const frag = document.createDocumentFragment();
    frag.append(wrap, key, claims);
    return frag;
  }

  function tableCell(t, row, c, j, r, prefix, claims) {
    const col = t.columns[j] || {};
    if (!c.parts || !c.parts.length) {
      return el("td", { class: "cell empty", title: row.label + " × " + col.label + ": not stated" }, c.code);
    }
    const b = el("button", { type: "button", class: "cell-btn", "aria-expanded": "false",
      title: row.label + " × " + col.label + ": " + c.words + " (click for the claims)" },
      ...c.parts.map((p, k) => {
        // The separators of the grid: "/" between stances of one scope,
        // "|" before what is backed for others ("·|S" when only that).
        const bar = p.others && (k === 0 || !c.parts[k - 1].others);
        const sep = bar ? (k === 0 ? "·|" : "|") : (k > 0 ? "/" : "");
        return el("span", { class: "part tone-" + p.tone + (p.reported ? " reported" : "") + (bar && k > 0 ? " after-bar" : "") }, sep + p.code);
      }));
    b.addEventListener("click", () => {
      const open = b.getAttribute("aria-expanded") === "true";
      for (const x of b.closest("table").querySelectorAll(".cell-btn")) x.setAttribute("aria-expanded", "false");
      if (open) {
        claims.hidden = true;
        return;
      }
      b.setAttribute("aria-expanded", "true");
      claims.hidden = false;
      claims.replaceChildren(el("h5", {}, row.label + " × " + col.label + ": " + c.words),
        el("ul", { class: "bullets" }, ...(c.claims || []).map((x) => renderBullet(x, r, prefix))));
    });
    return el("td", { class: "cell" }, b);
  }

  // linked is text as a link to url when url is http(s), else the text.
  function linked(url, text) {
    const href = url ? safeURL(url) : null;
    return href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, text) : document.createTextNode(text);
  }

  function label(s) {
    const who = [s.outlet, s.author].filter(Boolean).join(", ") || "outlet not named";
    return who + ", " + s.date;
  }

  function renderBullet(b, r, prefix) {
    const li = el("li", {}, renderText(b.text));
    const panel = el("div", { class: "paras", hidden: true });
    for (const c of b.cites || []) {
      const src = (r.sources || []).find((s) => s.n === c.source);
      const paras = (c.paras || []).map((p) => "¶" + p.replace(/^p/, "")).join(", ");
      const a = el("a", { class: "cite", href: "#" + prefix + "-src-" + c.source, "aria-expanded": "false",
        title: src ? src.doc + " " + paras + ": " + src.title + (c.paras && c.paras.length ? " (click to read the paragraphs here)" : "") : "" },
        "[" + c.source + (paras ? " " + paras : "") + "]");
      a.addEventListener("click", (ev) => {
        ev.preventDefault();
        if (src && c.paras && c.paras.length) {
          toggleParas(panel, a, src, c.paras);
          return;
        }
        flashSource(prefix, c.source);
      });
      li.append(a);
    }
    if (b.quote) {
      li.append(el("blockquote", {}, "“" + b.quote + "”",
        b.quote_by ? el("span", { class: "by" }, " — " + b.quote_by) : null));
    }
    if (b.verbatim) li.append(el("blockquote", { class: "verbatim" }, b.verbatim));
    if (b.according_to) li.append(el("p", { class: "reported" }, "Reported, according to " + b.according_to.replace(/[.\s]+$/, "") + "."));
    for (const n of b.notes || []) li.append(el("p", { class: "note" }, renderText(n)));
    li.append(panel);
    return li;
  }

  function flashSource(prefix, n) {
    const target = document.getElementById(prefix + "-src-" + n);
    if (target) {
      target.scrollIntoView({ block: "nearest", behavior: "smooth" });
      target.classList.add("flash");
      setTimeout(() => target.classList.remove("flash"), 1500);
    }
  }

  // toggleParas opens, under the bullet, the cited paragraphs word for
  // word (asked of the bot as /sources d004:p21 …), or closes them. A
  // second citation of the same bullet replaces the first.
  async function toggleParas(panel, link, src, paras) {
    const key = src.doc + ":" + paras.join(",");
    const open = !panel.hidden && panel.dataset.key === key;
    for (const x of link.parentNode.querySelectorAll(".cite")) x.setAttribute("aria-expanded", "false");
    if (open) {
      panel.hidden = true;
      return;
    }
    panel.dataset.key = key;
    panel.hidden = false;
    link.setAttribute("aria-expanded", "true");
    panel.replaceChildren(el("p", { class: "muted" }, "Reading " + src.doc + "…"));
    const command = "/sources " + paras.map((p) => src.doc + ":" + p).join(" ");
    let r;
    try {
      r = await getJSON("/api/ask", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ command: command, dossier: $("dossier").value }),
      });
    } catch (e) {
      panel.replaceChildren(el("p", { class: "note" }, "Could not read the paragraphs: " + e.message));
      return;
    }
    if (panel.dataset.key !== key) return; // another citation was opened meanwhile
    const reply = r.body || {};
    if (r.status !== 200 || reply.outcome !== "ok") {
      panel.replaceChildren(el("p", { class: "note" }, (reply.intro && reply.intro.map((s) => s.text).join("")) || reply.error || "No paragraph to show."));
      return;
    }
    panel.replaceChildren(...renderParas(reply));
  }

  // renderParas draws a /sources answer with paragraphs: each one word for
  // word, its document line, and a link that opens it in the document.
  function renderParas(reply) {
    const out = [];
    for (const s of reply.sections || []) {
      for (const b of s.bullets || []) {
        const c = (b.cites || [])[0];
        const src = c && (reply.sources || []).find((x) => x.n === c.source);
        if (!src || !b.verbatim) {
          out.push(el("p", { class: "note" }, renderText(b.text)));
          continue;
        }
        const para = c.paras[0];
        out.push(el("figure", { class: "para" },
          el("blockquote", { class: "verbatim" }, b.verbatim),
          el("figcaption", {}, el("strong", {}, src.doc + " ¶" + para.replace(/^p/, "")), " — ",
            linked(src.url, src.title), ", " + label(src) + " · ",
            el("a", { href: "#doc/" + encodeURIComponent(src.doc) + "/" + encodeURIComponent(para), class: "open-doc" }, "open in document"))));
      }
    }
    return out;
  }

  // ------------------------------------------------------- chat markdown

  // inline draws one line of chat markup. rules is a list of
  // [regexp-source without capturing groups, handler(match) → Node]; text
  // between matches becomes text nodes through plain(). Handlers recurse
  // for nested markup.
  function inline(text, rules, plain) {
    const frag = document.createDocumentFragment();
    const re = new RegExp(rules.map((r) => "(" + r[0] + ")").join("|"), "g");
    let last = 0;
    let m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) frag.append(plain(text.slice(last, m.index)));
      const i = rules.findIndex((_, k) => m[k + 1] !== undefined);
      frag.append(rules[i][1](m[0]));
      last = re.lastIndex;
    }
    if (last < text.length) frag.append(plain(text.slice(last)));
    return frag;
  }

  // blocks splits fenced code (```) from prose and draws each.
  function blocks(text, line) {
    const frag = document.createDocumentFragment();
    const parts = String(text).split("```");
    parts.forEach((part, i) => {
      if (i % 2 === 1) {
        frag.append(el("pre", {}, part.replace(/^\n/, "")));
        return;
      }
      const lines = part.split("\n");
      lines.forEach((ln, k) => {
        const node = line(ln);
        frag.append(node);
        const isBlock = node.nodeType === 1 && (node.tagName === "BLOCKQUOTE" || node.tagName === "PRE");
        if (k < lines.length - 1 && !isBlock) frag.append(document.createTextNode("\n"));
      });
    });
    return frag;
  }

  // Slack mrkdwn: *bold* _italic_ ~strike~ `code` <url|label> and
  // "> " quotes; &amp; &lt; &gt; are escapes.
  function slackUnescape(s) {
    return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  function slackInline(text) {
    const rules = [
      ["`[^`\\n]+`", (m) => el("code", {}, slackUnescape(m.slice(1, -1)))],
      ["\\*[^*\\n]+\\*", (m) => el("b", {}, slackInline(m.slice(1, -1)))],
      ["\\b_[^_\\n]+_\\b", (m) => el("i", {}, slackInline(m.slice(1, -1)))],
      ["~[^~\\n]+~", (m) => el("s", {}, slackInline(m.slice(1, -1)))],
      ["<[^<>\\n]+>", slackLink],
    ];
    return inline(text, rules, (t) => document.createTextNode(slackUnescape(t)));
  }

  function slackLink(m) {
    const body = m.slice(1, -1);
    const bar = body.indexOf("|");
    const target = bar < 0 ? body : body.slice(0, bar);
    const shown = slackUnescape(bar < 0 ? body : body.slice(bar + 1));
    if (/^[@#!]/.test(target)) return el("span", { class: "mention" }, "@" + shown.replace(/^[@#!]/, ""));
    const href = safeURL(slackUnescape(target));
    return href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, shown) : document.createTextNode(shown);
  }

  function slackMrkdwn(text) {
    return blocks(text, (ln) => {
      const q = /^(&gt;|>)\s?/.exec(ln);
      return q ? el("blockquote", {}, slackInline(ln.slice(q[0].length))) : slackInline(ln);
    });
  }

  function slackPlain(t) {
    return document.createTextNode(t && t.type === "mrkdwn" ? slackUnescape(t.text) : (t && t.text) || "");
  }

  function slackText(t) {
    if (!t) return document.createDocumentFragment();
    return t.type === "mrkdwn" ? slackMrkdwn(t.text || "") : document.createTextNode(t.text || "");
  }

  // Discord markdown: **bold** *italic* _italic_ __underline__ ~~strike~~
  // `code` [label](url), "> " quotes, "-# " subtext, "# " headings;
  // a backslash escapes the next character.
  const ESC = 0xe000;

  function dcEscape(s) {
    return String(s).replace(/\\([!-\/:-@\[-`{-~])/g, (_, c) => String.fromCharCode(ESC + c.charCodeAt(0)));
  }

  function dcRestore(s) {
    return s.replace(/[\ue000-\ue07f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - ESC));
  }

  function dcInline(text) {
    const rules = [
      ["`[^`\\n]+`", (m) => el("code", {}, dcRestore(m.slice(1, -1)))],
      ["\\*\\*[^*\\n]+\\*\\*", (m) => el("b", {}, dcInline(m.slice(2, -2)))],
      ["__[^_\\n]+__", (m) => el("u", {}, dcInline(m.slice(2, -2)))],
      ["\\*[^*\\n]+\\*", (m) => el("i", {}, dcInline(m.slice(1, -1)))],
      ["\\b_[^_\\n]+_\\b", (m) => el("i", {}, dcInline(m.slice(1, -1)))],
      ["~~[^~\\n]+~~", (m) => el("s", {}, dcInline(m.slice(2, -2)))],
      ["\\[[^\\]\\n]+\\]\\(<?https?://[^)\\s>]+>?\\)", dcLink],
    ];
    return inline(text, rules, (t) => document.createTextNode(dcRestore(t)));
  }

  function dcLink(m) {
    const close = m.indexOf("](");
    const shown = dcRestore(m.slice(1, close));
    const href = safeURL(dcRestore(m.slice(close + 2, -1).replace(/^<|>$/g, "")));
    return href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, shown) : document.createTextNode(shown);
  }

  function dcMarkdown(text) {
    return blocks(dcEscape(text || ""), (ln) => {
      let m;
      if ((m = /^>>?>?\s/.exec(ln))) return el("blockquote", {}, dcInline(ln.slice(m[0].length)));
      if ((m = /^-#\s/.exec(ln))) return el("span", { class: "subtext" }, dcInline(ln.slice(m[0].length)));
      if ((m = /^#{1,3}\s/.exec(ln))) return el("span", { class: "dc-h" }, dcInline(ln.slice(m[0].length)));
      return dcInline(ln);
    });
  }

  // --------------------------------------------------------- Slack preview

  // slackMessages finds the messages in a Slack payload: an array of
  // messages, or one message with blocks or text.
  function slackMessages(p) {
    if (Array.isArray(p)) return p.flatMap(slackMessages);
    if (p && typeof p === "object") {
      if (p.message) return slackMessages(p.message);
      if (p.blocks || p.text) return [p];
    }
    return [];
  }

  function chatHeader(initial, name, tag, note) {
    return [el("div", { class: "avatar", "aria-hidden": "true" }, initial),
      el("div", { class: "msg-head" }, el("span", { class: "name" }, name), el("span", { class: "tag" }, tag),
        note ? el("span", { class: "eph" }, note) : null)];
  }

  function renderSlack(payload) {
    const msgs = slackMessages(payload);
    if (!msgs.length) throw new Error("no Slack message in the payload");
    const frag = document.createDocumentFragment();
    let blockCount = 0;
    msgs.forEach((m) => {
      const eph = m.response_type === "ephemeral" ? "Only visible to you" : "";
      const [avatar, head] = chatHeader("B", "briefbot", "APP", eph);
      const body = el("div", { class: "msg-body" }, head);
      for (const b of m.blocks || []) body.append(slackBlock(b));
      if (!(m.blocks && m.blocks.length) && m.text) body.append(el("div", { class: "sk-section" }, slackMrkdwn(m.text)));
      blockCount = Math.max(blockCount, (m.blocks || []).length);
      frag.append(el("div", { class: "msg slack-msg" }, avatar, body));
    });
    const over = blockCount > 50;
    frag.append(el("p", { class: "limits" + (over ? " over" : "") },
      msgs.length + (msgs.length === 1 ? " message" : " messages") + " · up to " + blockCount + " of 50 blocks in one"));
    return frag;
  }

  function slackBlock(b) {
    switch (b.type) {
      case "header":
        return el("div", { class: "sk-header" }, slackPlain(b.text));
      case "section": {
        const d = el("div", { class: "sk-section" });
        if (b.text) d.append(slackText(b.text));
        if (b.fields && b.fields.length) d.append(el("div", { class: "sk-fields" }, ...b.fields.map((f) => el("div", {}, slackText(f)))));
        return d;
      }
      case "context":
        return el("div", { class: "sk-context" }, ...(b.elements || []).map((e) =>
          e.type === "image" ? el("span", {}, "[image: " + (e.alt_text || "") + "]") : el("span", {}, slackText(e))));
      case "divider":
        return el("hr", { class: "sk-divider" });
      case "actions":
        return el("div", { class: "sk-actions" }, ...(b.elements || []).map((e) =>
          el("span", { class: "sk-button" + (e.style === "primary" ? " primary" : "") }, slackPlain(e.text))));
      case "rich_text":
        return el("div", { class: "sk-section" }, richText(b.elements || []));
      case "table":
        return slackTable(b);
      default:
        return el("div", { class: "sk-unknown" }, "[" + (b.type || "unknown") + " block]");
    }
  }

  // slackTable draws a table block: its first row as the header.
  function slackTable(b) {
    const rows = b.rows || [];
    const cell = (c, tag, i) => el(tag, { class: "align-" + (((b.column_settings || [])[i] || {}).align || "left") },
      c ? (c.type === "rich_text" ? richText(c.elements || []) : c.text || "") : "");
    return el("div", { class: "sk-table-wrap" }, el("table", { class: "sk-table" },
      rows.length ? el("thead", {}, el("tr", {}, ...rows[0].map((c, i) => cell(c, "th", i)))) : null,
      el("tbody", {}, ...rows.slice(1).map((row) => el("tr", {}, ...row.map((c, i) => cell(c, "td", i)))))));
  }

  // richText draws the text of a rich_text block, roughly.
  function richText(elements) {
    const frag = document.createDocumentFragment();
    for (const e of elements) {
      if (e.type === "text") frag.append(e.style && e.style.bold ? el("b", {}, e.text) : document.createTextNode(e.text || ""));
      else if (e.type === "link") frag.append(document.createTextNode(e.text || e.url || ""));
      else if (Array.isArray(e.elements)) {
        const inner = richText(e.elements);
        if (e.type === "rich_text_quote") frag.append(el("blockquote", {}, inner));
        else if (e.type === "rich_text_preformatted") frag.append(el("pre", {}, inner));
        else if (e.type === "rich_text_list") frag.append(el("ul", {}, ...e.elements.map((x) => el("li", {}, richText(x.elements || [])))));
        else frag.append(inner);
      }
    }
    return frag;
  }

  // ------------------------------------------------------- Discord preview

  // discordMessages finds the messages in a Discord payload: an array, an
  // interaction response ({type, data}), or a message.
  function discordMessages(p) {
    if (Array.isArray(p)) return p.flatMap(discordMessages);
    if (p && typeof p === "object") {
      if (p.data && typeof p.data === "object") return discordMessages(p.data);
      if (p.embeds || p.content !== undefined) return [p];
    }
    return [];
  }

  function renderDiscord(payload, files) {
    const msgs = discordMessages(payload);
    if (!msgs.length) throw new Error("no Discord message in the payload");
    const frag = document.createDocumentFragment();
    let most = 0;
    msgs.forEach((m) => {
      const eph = (m.flags & 64) ? "Only you can see this" : "";
      const [avatar, head] = chatHeader("B", "briefbot", "BOT", eph);
      const body = el("div", { class: "msg-body" }, head);
      if (m.content) body.append(el("div", { class: "dc-content" }, ...m.content.split(/(<@!?\d+>)/).map((part) =>
        /^<@!?\d+>$/.test(part) ? el("span", { class: "mention" }, "@you") : dcMarkdown(part))));
      for (const e of m.embeds || []) body.append(discordEmbed(e, files || {}));
      for (const row of m.components || []) {
        body.append(el("div", { class: "dc-components" }, ...(row.components || []).map((c) =>
          el("span", { class: "dc-button" + (c.style === 1 ? " primary" : "") }, c.label || ""))));
      }
      most = Math.max(most, embedChars(m.embeds || []));
      frag.append(el("div", { class: "msg discord-msg" }, avatar, body));
    });
    frag.append(el("p", { class: "limits" + (most > 6000 ? " over" : "") },
      msgs.length + (msgs.length === 1 ? " message" : " messages") + " · up to " + most.toLocaleString("en") + " of 6,000 embed characters in one"));
    return frag;
  }

  // attachment finds the picture an embed shows as attachment://<name>
  // among the files sent with the message.
  function attachment(url, files) {
    const m = /^attachment:\/\/(.+)$/.exec(url || "");
    const src = m && files[m[1]];
    return src && /^data:image\/(png|gif|jpeg);base64,/.test(src) ? src : null;
  }

  function discordEmbed(e, files) {
    const box = el("div", { class: "embed" });
    if (Number.isInteger(e.color)) box.style.borderLeftColor = "#" + e.color.toString(16).padStart(6, "0").slice(-6);
    if (e.author && e.author.name) box.append(el("div", { class: "embed-author" }, e.author.name));
    if (e.title) {
      const href = e.url ? safeURL(e.url) : null;
      box.append(el("div", { class: "embed-title" },
        href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, e.title) : e.title));
    }
    if (e.description) box.append(el("div", { class: "embed-desc" }, dcMarkdown(e.description)));
    if (e.fields && e.fields.length) {
      box.append(el("div", { class: "embed-fields" }, ...e.fields.map((f) =>
        el("div", { class: "embed-field" + (f.inline ? " inline" : "") },
          el("div", { class: "embed-field-name" }, dcMarkdown(f.name)),
          el("div", { class: "embed-field-value" }, dcMarkdown(f.value))))));
    }
    if (e.image && e.image.url) {
      const src = attachment(e.image.url, files);
      box.append(src ? el("img", { class: "embed-image", src: src, alt: "picture attached to the message (" + e.image.url + ")" })
        : el("p", { class: "missing" }, "[picture " + e.image.url + "]"));
    }
    const foot = [e.footer && e.footer.text, e.timestamp && new Date(e.timestamp).toLocaleString()].filter(Boolean).join(" • ");
    if (foot) box.append(el("div", { class: "embed-footer" }, foot));
    return box;
  }

  function embedChars(embeds) {
    let n = 0;
    for (const e of embeds) {
      n += (e.title || "").length + (e.description || "").length + ((e.footer && e.footer.text) || "").length +
        ((e.author && e.author.name) || "").length;
      for (const f of e.fields || []) n += (f.name || "").length + (f.value || "").length;
    }
    return n;
  }

  // ------------------------------------------------------------ digests

  async function loadDigests() {
    let r;
    try {
      r = await getJSON("/api/digests");
    } catch (_) {
      return;
    }
    const box = $("digests");
    const d = r.body || {};
    if (!d.enabled) {
      box.replaceChildren(el("p", { class: "muted" },
        "Scheduled digests are not delivered here: a chat platform is configured, or no digest scheduler runs."));
      return;
    }
    if (!d.digests || !d.digests.length) {
      box.replaceChildren(el("p", { class: "muted" },
        "No digest yet. Digests configured under digests.schedules in the config file appear here (and in the log) when they run."));
      return;
    }
    const open = new Set([...box.querySelectorAll("details.digest[open]")].map((x) => x.dataset.key));
    box.replaceChildren(...d.digests.map((g, i) => {
      const key = g.name + "@" + g.at;
      const pv = g.previews || {};
      const previews = el("div", { class: "digest-previews" }, ...[["slack", "On Slack", renderSlack], ["discord", "On Discord", renderDiscord]]
        .filter(([p]) => pv[p]).map(([p, label, render]) => {
          const box = el("div", { class: "preview " + p });
          const raw = el("pre", {});
          showPreview(box, raw, p, pv[p], render);
          return el("details", { class: "digest-preview" }, el("summary", {}, label), box);
        }));
      return el("details", { class: "digest", "data-key": key, open: open.size ? open.has(key) : i === 0 },
        el("summary", {}, (g.reply && g.reply.title) || g.name || "digest",
          el("span", { class: "when" }, [g.name, g.channel, new Date(g.at).toLocaleString()].filter(Boolean).join(" · "))),
        renderReply(g.reply || {}, "dg" + i), previews);
    }));
  }

  // ------------------------------------------------------------- status

  async function loadStatus() {
    const s = $("status");
    try {
      const r = await getJSON("/readyz");
      const rep = r.body || {};
      const checks = rep.checks || [];
      const failing = checks.filter((c) => !c.ok);
      const briefs = checks.find((c) => c.name === "briefs");
      const parts = [rep.ready ? "Ready" : "Not ready: " + failing.map((c) => c.name + " (" + c.detail + ")").join(", ")];
      if (briefs && briefs.ok && briefs.detail) parts.push(briefs.detail);
      for (const n of rep.notes || []) parts.push(n.detail);
      s.textContent = parts.join(" · ");
      s.className = "status" + (rep.ready ? ((rep.notes || []).length ? " warn" : "") : " bad");
    } catch (e) {
      s.textContent = "Cannot reach the bot (" + e.message + ")";
      s.className = "status bad";
    }
  }

  // ------------------------------------------------------------ the reader

  // Routes: #docs lists the documents; #doc/<id> shows one document and
  // #doc/<id>/<para> scrolls to that paragraph and marks it. Any other hash
  // is a command to ask.
  function parseRoute(hash) {
    const h = (hash || "").replace(/^#/, "");
    if (h === "docs") return { view: "docs" };
    const m = /^doc\/([^/]+)(?:\/(p\d+))?$/.exec(h);
    if (m) {
      try {
        return { view: "doc", doc: decodeURIComponent(m[1]), para: m[2] || "" };
      } catch (_) { /* malformed: ask it as typed */ }
    }
    return { view: "ask" };
  }

  function docHref(doc, para) {
    return "#doc/" + encodeURIComponent(doc) + (para ? "/" + para : "");
  }

  function setView(view) {
    document.body.dataset.view = view === "ask" ? "ask" : "reader";
    $("nav-ask").setAttribute("aria-current", String(view === "ask"));
    $("nav-docs").setAttribute("aria-current", String(view !== "ask"));
  }

  async function route() {
    const r = parseRoute(location.hash);
    setView(r.view);
    if (r.view === "docs") return showDocs();
    if (r.view === "doc") return showDoc(r.doc, r.para);
    if (location.hash.length > 1 && location.hash !== state.asked) {
      let cmd = "";
      try { cmd = decodeURIComponent(location.hash.slice(1)); } catch (_) { /* malformed */ }
      if (cmd) { $("command").value = cmd; await ask(cmd); }
    }
  }

  function readerMessage(msg) {
    $("reader").replaceChildren(el("p", { class: "muted" }, msg));
  }

  async function showDocs() {
    let r;
    try {
      r = await getJSON("/api/docs");
    } catch (e) {
      return readerMessage("Could not load the documents: " + e.message);
    }
    if (r.status !== 200) return readerMessage((r.body && r.body.error) || "HTTP " + r.status);
    const d = r.body;
    const rows = (d.documents || []).map((doc) => el("tr", {},
      el("td", { class: "mono" }, doc.id),
      el("td", {}, el("a", { href: docHref(doc.id, "") }, doc.title), doc.title_printed ? null : el("span", { class: "muted" }, " (description; no headline printed)")),
      el("td", {}, [doc.outlet, doc.author].filter(Boolean).join(", ") || el("span", { class: "muted" }, "not named")),
      el("td", {}, doc.date),
      el("td", {}, coverageBar(doc))));
    $("reader").replaceChildren(
      el("h2", { class: "reader-h" }, "Documents"),
      el("p", { class: "muted" }, (d.documents || []).length + " documents. Coverage counts article paragraphs cited by reviewed claims" +
        (d.drafts ? "; " + d.drafts + " draft claims await review and are not served." : ".")),
      el("table", { class: "docs" }, el("thead", {}, el("tr", {}, ...["id", "title", "outlet, author", "date", "coverage"].map((h) => el("th", {}, h)))),
        el("tbody", {}, ...rows)));
  }

  function coverageBar(doc) {
    const pct = doc.article ? Math.round(100 * doc.cited / doc.article) : 0;
    const bar = el("span", { class: "bar", title: pct + "%" }, el("span", { class: "fill" }));
    bar.firstChild.style.width = pct + "%";
    return el("span", { class: "coverage" }, bar, " " + doc.cited + " of " + doc.article + " cited",
      doc.drafts_only ? el("span", { class: "drafts" }, " · " + doc.drafts_only + " by drafts only") : null);
  }

  async function showDoc(id, para) {
    let r;
    try {
      r = await getJSON("/api/docs/" + encodeURIComponent(id));
    } catch (e) {
      return readerMessage("Could not load " + id + ": " + e.message);
    }
    if (r.status !== 200) return readerMessage((r.body && r.body.error) || "HTTP " + r.status);
    const d = r.body.document;
    const url = d.url ? safeURL(d.url) : null;
    const head = el("header", { class: "doc-head" },
      el("p", {}, el("a", { href: "#docs" }, "← All documents")),
      el("h2", { class: "reader-h" }, d.title),
      el("p", { class: "doc-meta" }, el("span", { class: "mono" }, d.id), " · ",
        [d.outlet, d.author].filter(Boolean).join(", ") || "outlet not named", " · ", d.date,
        d.translated ? " · translated" : "", url ? " · " : "",
        url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, "original page") : null),
      d.date_basis ? el("p", { class: "muted" }, "Date: " + d.date_basis) : null,
      el("p", {}, coverageBar(d)));
    const list = el("ol", { class: "paras" }, ...r.body.paragraphs.map((p) => paraRow(d.id, p, para)));
    $("reader").replaceChildren(head, list);
    const target = para && document.getElementById("para-" + para);
    if (target) {
      target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    } else {
      window.scrollTo(0, 0);
    }
  }

  function paraRow(doc, p, target) {
    const cls = "para" + (p.furniture ? " furniture" : "") + (p.id === target ? " target" : "") + (p.claims.length ? " cited" : "");
    const text = el("div", { class: "para-text" }, p.text);
    if (p.furniture) text.append(el("span", { class: "why" }, " — furniture: " + p.furniture));
    const claims = el("div", { class: "para-claims" }, ...p.claims.map((c) => el("div", { class: "claim" },
      el("span", { class: "claim-text" }, c.text), " ",
      el("span", { class: "claim-brief" }, c.brief_name + (c.stance ? " · " + c.stance : "") + (c.reported ? " · reported" : "")),
      c.quote ? el("blockquote", {}, "“" + c.quote + "”") : null)));
    if (p.drafts) claims.append(el("div", { class: "drafts" }, p.drafts === 1 ? "1 draft claim awaits review (not served)" : p.drafts + " draft claims await review (not served)"));
    return el("li", { class: cls, id: "para-" + p.id, tabindex: "-1", value: p.id.replace(/^p/, "") },
      el("a", { class: "para-id mono", href: docHref(doc, p.id) }, p.id), text, claims);
  }

  // ---------------------------------------------------------------- start

  async function loadCommands() {
    try {
      const r = await getJSON("/api/commands");
      state.commands = Array.isArray(r.body) ? r.body : [];
    } catch (e) {
      showError("Could not load the command table: " + e.message);
      return;
    }
    // Other names first, so that a command's own name always wins.
    state.byName = new Map(state.commands.flatMap((c) => (c.also || []).map((a) => [a, c]))
      .concat(state.commands.map((c) => [c.name, c])));
    const ex = $("examples");
    ex.replaceChildren("Try: ", ...state.commands.flatMap((c) => (c.examples || []).slice(0, 1)).map((x) => {
      const b = el("button", { type: "button", class: "chip" }, x);
      b.addEventListener("click", () => { $("command").value = x; ask(x); });
      return b;
    }));
  }

  // loadDossiers fills the dossier picker; with one dossier it stays hidden.
  async function loadDossiers() {
    let list = [];
    try {
      const r = await getJSON("/api/dossiers");
      list = Array.isArray(r.body) ? r.body : [];
    } catch (_) {
      list = [];
    }
    const pick = $("dossier");
    pick.replaceChildren(...list.map((d) => {
      const o = el("option", { value: d.slug, title: d.description || "" }, d.title + " (" + d.slug + ")");
      if (d.default) o.selected = true;
      return o;
    }));
    $("dossier-pick").hidden = list.length < 2;
  }

  async function start() {
    const input = $("command");
    $("ask").addEventListener("submit", (ev) => { ev.preventDefault(); ask(input.value); });
    // The list opens as one types (or with ↓), never by itself on load.
    input.addEventListener("input", updateHints);
    input.addEventListener("keydown", onKey);
    input.addEventListener("blur", () => setTimeout(closeSuggestions, 100));
    await loadDossiers();
    await loadCommands();
    loadStatus();
    loadDigests();
    setInterval(loadStatus, 15000);
    setInterval(loadDigests, 15000);
    window.addEventListener("hashchange", route);
    if (location.hash.length > 1) route();
    document.body.dataset.ready = "true";
  }

  start();
})();
