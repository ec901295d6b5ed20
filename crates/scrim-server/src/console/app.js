// Scrim review console: a small page over the REST API (see /api/openapi.yaml). The session is
// an HttpOnly cookie set by /api/login; this script never sees or stores a token.
"use strict";

const $ = (sel) => document.querySelector(sel);
const el = (tag, props = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const kid of kids) e.append(kid);
  return e;
};

async function api(method, path, body) {
  const opts = { method, headers: {}, credentials: "same-origin" };
  if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
  const r = await fetch(path, opts);
  if (r.status === 204) return null;
  const type = r.headers.get("content-type") || "";
  const data = type.includes("json") ? await r.json() : await r.text();
  if (!r.ok) { const e = new Error((data && data.message) || r.statusText); e.status = r.status; throw e; }
  return data;
}

let me = null;
let current = null; // { project, task }

function show(id) {
  for (const s of ["login-view", "reviewer-view", "officer-view", "admin-view"]) $("#" + s).hidden = s !== id;
  // Project set-up is for admins and privacy officers.
  $("#project-setup").hidden = !(id === "admin-view" || id === "officer-view");
}

async function start() {
  try { me = await api("GET", "/api/me"); } catch (e) { me = null; }
  if (!me) { $("#whoami").textContent = ""; $("#logout").hidden = true; $("#password-box").hidden = true; show("login-view"); return; }
  $("#password-box").hidden = false;
  $("#whoami").textContent = `${me.name} · ${me.role.replace("_", " ")}`;
  $("#logout").hidden = false;
  if (me.role === "reviewer") { show("reviewer-view"); await loadReviewer(); }
  else if (me.role === "privacy_officer") { show("officer-view"); await loadOfficer(); }
  else if (me.role === "admin") { show("admin-view"); await loadAdmin(); }
  else { show("login-view"); $("#login-error").textContent = "This role has no console; use the API."; }
}

$("#login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  try {
    await api("POST", "/api/login", { name: f.get("name"), password: f.get("password") });
    $("#login-error").textContent = "";
    ev.target.reset();
    await start();
  } catch (e) { $("#login-error").textContent = "Wrong name or password."; }
});

$("#password-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  try {
    await api("POST", "/api/me/password", { current: f.get("current"), new: f.get("new") });
    $("#password-result").textContent = "Password changed.";
    ev.target.reset();
  } catch (e) { $("#password-result").textContent = e.status === 403 ? "The current password is wrong." : "Could not change: " + e.message; }
});

$("#logout").addEventListener("click", async () => { await api("POST", "/api/logout"); me = null; await start(); });

// ---------------------------------------------------------------- reviewer

async function loadReviewer() {
  const projects = await api("GET", "/api/projects");
  const ul = $("#reviewer-projects");
  ul.replaceChildren();
  for (const p of projects) {
    const b = el("button", { text: "Next task", "data-project": p.id });
    b.addEventListener("click", () => nextTask(p));
    ul.append(el("li", {}, el("strong", { text: p.name }), " ", el("span", { class: "profile", text: p.purpose }), " ", b));
  }
}

async function nextTask(p) {
  $("#task-status").textContent = "";
  const t = await api("POST", `/api/projects/${encodeURIComponent(p.id)}/next`);
  if (!t) { $("#task").hidden = true; $("#no-task").hidden = false; return; }
  $("#no-task").hidden = true;
  current = { project: p, task: t };
  renderTask(t);
}

function renderTask(t) {
  $("#task").hidden = false;
  $("#task-id").textContent = t.id;
  const prof = $("#task-profile");
  prof.replaceChildren();
  const facts = [];
  if (t.profile && !t.profile.suppressed) {
    for (const k of ["place", "age", "gender"]) if (t.profile[k]) facts.push(`${k}: ${t.profile[k]}`);
    for (const [k, v] of Object.entries(t.profile.other || {})) facts.push(`${k}: ${v}`);
  }
  prof.textContent = facts.length ? "About the user: " + facts.join(" · ") : "No profile facts shown.";
  const box = $("#task-messages");
  box.replaceChildren();
  for (const m of t.messages) {
    const text = el("span", { class: "content", text: m.content });
    box.append(el("div", { class: `msg ${m.role}`, "data-index": String(m.index) }, el("span", { class: "role", text: m.role }), text));
  }
  const imgs = $("#task-images");
  imgs.replaceChildren();
  for (const a of t.attachments || []) {
    if (a.data && (a.media_type || "").startsWith("image/")) imgs.append(el("img", { class: "attachment", alt: "attachment", src: `data:${a.media_type};base64,${a.data}` }));
  }
}

// Code points, not UTF-16 units: the API counts offsets in code points.
const cp = (s) => Array.from(s).length;

$("#flag").addEventListener("click", async () => {
  const sel = window.getSelection();
  if (!current || !sel || sel.rangeCount === 0 || sel.isCollapsed) { $("#task-status").textContent = "Select the text to flag first."; return; }
  const range = sel.getRangeAt(0);
  const content = range.startContainer.parentElement && range.startContainer.parentElement.closest(".content");
  const msg = content && content.closest(".msg");
  if (!content || !msg || range.endContainer.parentElement.closest(".content") !== content) {
    $("#task-status").textContent = "Select text within one message."; return;
  }
  const text = content.textContent;
  const pre = document.createRange();
  pre.selectNodeContents(content);
  pre.setEnd(range.startContainer, range.startOffset);
  const startUnits = pre.toString().length;
  const selected = range.toString();
  const start = cp(text.slice(0, startUnits));
  const end = start + cp(selected);
  try {
    const t = await api("POST", `/api/tasks/${encodeURIComponent(current.task.id)}/flags`, { message: Number(msg.dataset.index), start, end });
    current.task = t;
    renderTask(t);
    $("#task-status").textContent = "Flagged: the text is now hidden, and later conversations hide it too.";
  } catch (e) { $("#task-status").textContent = "Could not flag: " + e.message; }
});

$("#submit-rating").addEventListener("click", async () => {
  const v = document.querySelector("input[name=score]:checked");
  if (!current || !v) { $("#task-status").textContent = "Choose a rating first."; return; }
  await api("POST", `/api/tasks/${encodeURIComponent(current.task.id)}/rating`, { rating: { score: Number(v.value) } });
  v.checked = false;
  // The status is set once the next task is on screen, so whoever reads it sees the new state.
  await nextTask(current.project);
  $("#task-status").textContent = $("#task").hidden ? "Rating saved. No more tasks." : "Rating saved. Here is the next task.";
});

$("#skip").addEventListener("click", async () => {
  if (!current) return;
  await api("POST", `/api/tasks/${encodeURIComponent(current.task.id)}/skip`);
  await nextTask(current.project);
  $("#task-status").textContent = "Skipped.";
});

// ---------------------------------------------------------------- privacy officer

const pct = (x) => (x === null || x === undefined ? "–" : (100 * x).toFixed(1) + "%");

async function loadOfficer() {
  const projects = await api("GET", "/api/projects");
  const tbody = $("#stats-table tbody");
  tbody.replaceChildren();
  for (const p of projects) {
    const s = await api("GET", `/api/projects/${encodeURIComponent(p.id)}/stats`);
    const a = s.anonymity || {};
    const open = (s.tasks.open || 0) + (s.tasks.assigned || 0);
    tbody.append(el("tr", {}, ...[p.name, p.purpose, open, s.reviewed_tasks, s.flagged_tasks, pct(s.residual_leak_rate), s.k,
      a.achieved_k === null || a.achieved_k === undefined ? "–" : a.achieved_k, a.suppressed_subjects ?? 0]
      .map((v) => el("td", { text: String(v) }))));
  }
  await searchAudit({});
  await loadApprovals(projects);
  const alerts = await api("GET", "/api/alerts");
  const ul = $("#alerts");
  ul.replaceChildren();
  if (!alerts.length) ul.append(el("li", { text: "No alerts." }));
  for (const a of alerts) ul.append(el("li", { text: `${a.at} · ${a.actor} · ${a.kind}: ${a.detail}` }));
}

// What a proposal asks for, in words (names of projects where known).
function describeChange(a, names) {
  const c = a.change || {};
  const list = (xs) => (xs || []).map((x) => names[x] || x).join(", ") || "none";
  if (a.kind === "user.create") return `new ${c.role}; projects: ${list(c.projects)}; clearances: ${list(c.clearances)}`;
  if (a.kind === "user.update") {
    const parts = [];
    if (c.projects) parts.push("projects: " + list(c.projects));
    if (c.clearances) parts.push("clearances: " + list(c.clearances));
    if (c.password) parts.push("a new password");
    if (c.enable) parts.push("enable the account");
    return parts.join("; ");
  }
  const p = (c.spec && c.spec.profile) || {};
  const routed = Object.entries((c.spec && c.spec.sensitive) || {}).filter(([, r]) => r === "route").map(([k]) => k);
  return `turns ${c.spec && c.spec.turns}; place ${p.place || "not shown"}; age ${p.age || "not shown"}; gender ${p.gender ? "shown" : "not shown"}; ` +
    `facts ${(p.other || []).join(", ") || "none"}; k ${p.k}; images ${c.spec && c.spec.images ? "shown" : "not shown"}; routed ${routed.join(", ") || "none"}`;
}

async function loadApprovals(projects) {
  const names = Object.fromEntries((projects || []).map((p) => [p.id, p.name]));
  const rows = await api("GET", "/api/approvals?status=pending");
  const tbody = $("#approvals-table tbody");
  tbody.replaceChildren();
  if (!rows.length) tbody.append(el("tr", {}, el("td", { text: "Nothing waits for approval.", colspan: "7" })));
  for (const a of rows) {
    const target = (a.change && a.change.name) || a.target;
    const tr = el("tr", { "data-approval": a.id }, ...[a.proposed_at, a.proposed_by || "", a.kind, target, describeChange(a, names), (a.reasons || []).join(", ")]
      .map((v) => el("td", { text: String(v) })));
    const ok = el("button", { text: "Approve", "data-approve": target });
    const no = el("button", { class: "secondary", text: "Reject", "data-reject": target });
    ok.addEventListener("click", () => decide(a, target, "approve"));
    no.addEventListener("click", () => decide(a, target, "reject"));
    tr.append(el("td", {}, ok, " ", no));
    tbody.append(tr);
  }
}

async function decide(a, target, how) {
  try {
    const r = await api("POST", `/api/approvals/${encodeURIComponent(a.id)}/${how}`);
    await loadApprovals(await api("GET", "/api/projects"));
    // Shown after the refresh, so whoever reads it sees the new state.
    $("#approval-result").textContent = r.status === "approved"
      ? `Approved: ${a.kind} for ${target}.` + (r.token ? ` API token for ${target}, shown once: ${r.token}` : "")
      : `Rejected: ${a.kind} for ${target}.`;
  } catch (e) { $("#approval-result").textContent = "Could not decide: " + e.message; }
}

async function searchAudit(q) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) params.set(k, v);
  params.set("limit", "100");
  const rows = await api("GET", "/api/audit?" + params.toString());
  const tbody = $("#audit-table tbody");
  tbody.replaceChildren();
  for (const r of rows) {
    const tr = el("tr", {}, ...[r.seq, r.at, r.actor, r.role, r.action, r.project || "", r.record || "", (r.fields || []).join(", "), r.decision]
      .map((v) => el("td", { text: String(v) })));
    if (r.decision.startsWith("deny")) tr.className = "deny";
    tbody.append(tr);
  }
}

$("#audit-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  await searchAudit({ actor: f.get("actor"), action: f.get("action"), decision: f.get("decision") });
});

$("#verify").addEventListener("click", async () => {
  const v = await api("POST", "/api/audit/verify");
  $("#verify-result").textContent = v.ok
    ? `Audit chain intact: ${v.entries} entries verified.`
    : `Audit chain BROKEN: ${v.problems.map((p) => p[1]).join("; ")}`;
});

// ---------------------------------------------------------------- admin

async function loadAdmin() {
  const projects = await api("GET", "/api/projects");
  const sel = $("#user-projects");
  sel.replaceChildren();
  for (const p of projects) sel.append(el("option", { value: p.id, text: p.name }));
  const users = await api("GET", "/api/users");
  const tbody = $("#users-table tbody");
  tbody.replaceChildren();
  const names = Object.fromEntries(projects.map((p) => [p.id, p.name]));
  for (const u of users) {
    const role = u.pending ? `${u.role} (waits for approval)` : u.role;
    const tr = el("tr", {}, ...[u.name, role, u.projects.map((p) => names[p] || p).join(", "), u.clearances.join(", ")]
      .map((v) => el("td", { text: v })));
    const b = el("button", { class: "secondary", text: u.disabled ? "Enable" : "Disable", "data-user": u.name });
    b.disabled = u.id === me.id || u.pending;
    b.addEventListener("click", async () => {
      await api("PATCH", `/api/users/${encodeURIComponent(u.id)}`, { disabled: !u.disabled });
      await loadAdmin();
    });
    tr.append(el("td", {}, b));
    tbody.append(tr);
  }
}

$("#project-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const profile = { k: Number(f.get("k") || 10), gender: f.get("gender") === "on", other: [] };
  const sensitive = {};
  for (const o of $("#route-categories").selectedOptions) sensitive[o.value] = "route";
  if (f.get("place")) profile.place = f.get("place");
  if (f.get("age")) profile.age = f.get("age");
  try {
    const p = await api("POST", "/api/projects", {
      name: f.get("name"), purpose: f.get("purpose"),
      spec: { turns: f.get("turns"), images: f.get("images") === "on", profile, sensitive },
    });
    ev.target.reset();
    if (me.role === "admin") await loadAdmin(); else await loadOfficer();
    $("#project-result").textContent = p.approval
      ? `Created project ${p.name}. What it shows beyond the protective default waits for a privacy officer's approval (${p.approval.reasons.join(", ")}).`
      : `Created project ${p.name}.`;
  } catch (e) { $("#project-result").textContent = "Could not create: " + e.message; }
});

$("#user-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const projects = Array.from($("#user-projects").selectedOptions).map((o) => o.value);
  const clearances = Array.from($("#user-clearances").selectedOptions).map((o) => o.value);
  try {
    const u = await api("POST", "/api/users", { name: f.get("name"), role: f.get("role"), password: f.get("password") || null, projects, clearances });
    ev.target.reset();
    await loadAdmin();
    $("#user-result").textContent = u.approval
      ? `Proposed ${u.name} (${u.role}): the account waits for a privacy officer's approval (${u.approval.reasons.join(", ")}); no token until then.`
      : `Created ${u.name} (${u.role}). API token, shown once: ${u.token}`;
  } catch (e) { $("#user-result").textContent = "Could not create: " + e.message; }
});

start();
