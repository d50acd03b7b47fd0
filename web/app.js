// Probity dashboard: plain JavaScript over the REST API, no framework and no
// external assets. The API key lives in sessionStorage and goes out as
// `Authorization: Bearer …` with every call; job progress is read from the
// server-sent event stream with fetch (EventSource cannot send that header).
"use strict";

const KEY_STORAGE = "probity.apiKey";
const MAX_LIST_STREAMS = 3; // browsers allow 6 connections per host; leave room for API calls
const PAGE_SIZE = 50;

const state = {
  key: sessionStorage.getItem(KEY_STORAGE),
  view: null,
  lists: {},
  listStreams: new Map(), // job id -> AbortController, for the Jobs view
  auditStream: null, // AbortController of the job followed on the audit form
  datasets: new Map(),
  models: new Map(),
  report: null,
  monitor: null, // id of the monitor shown
  alertCounts: new Map(), // monitor id -> number of alerts, for the Monitors list
};

// ---------------------------------------------------------------- helpers

/** Creates an element: `h("a", {href: "#", class: "x", onclick: f}, "text", child)`. */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces a node's children, skipping null/undefined/false (replaceChildren would print them). */
function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
}

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const shortId = (id) => (id ? String(id).slice(0, 8) : "—");

function fmtNumber(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return Number(value).toFixed(digits);
}

function fmtPercent(value, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return `${(Number(value) * 100).toFixed(digits)} %`;
}

function fmtInt(value) {
  return value === null || value === undefined ? "—" : Number(value).toLocaleString("en-US");
}

function fmtBytes(bytes) {
  if (bytes === null || bytes === undefined) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function fmtTime(iso) {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function timeCell(iso) {
  return h("td", { class: "nowrap" }, h("time", { datetime: iso, title: iso }, fmtTime(iso)));
}

function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== "") search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : "";
}

function badge(text, kind = text) {
  return h("span", { class: `badge badge-${String(kind).toLowerCase()}` }, text);
}

function emptyRow(table, message) {
  const columns = $$("thead th", table).length || 1;
  return h("tr", { class: "empty" }, h("td", { colspan: columns }, message));
}

function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---------------------------------------------------------------- API access

/** An error answer of the API, with its RFC 9457 problem details. */
class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function problemOf(response) {
  const type = response.headers.get("content-type") || "";
  let problem = null;
  try {
    if (type.includes("json")) problem = await response.json();
    else {
      const text = (await response.text()).trim();
      problem = { title: response.statusText || `HTTP ${response.status}`, detail: text.slice(0, 500) };
    }
  } catch {
    problem = null;
  }
  if (!problem || typeof problem !== "object") problem = { title: response.statusText || `HTTP ${response.status}` };
  return new ApiError(response.status, problem);
}

/**
 * Calls the API with the key. Returns parsed JSON (or the Response with `raw`).
 * A 401 ends the session and shows the sign-in form, unless `signingIn`.
 */
async function api(path, { method = "GET", json, body, headers = {}, signal, raw = false, signingIn = false } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers, Authorization: `Bearer ${state.key}` }, signal };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["Content-Type"] = "application/json";
  } else if (body !== undefined) {
    init.body = body;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, { title: "Network error", detail: `The server could not be reached (${error.message}).` });
  }
  if (!response.ok) {
    const error = await problemOf(response);
    if (response.status === 401 && !signingIn) signOut("Your API key was not accepted (unknown or revoked). Sign in again.");
    throw error;
  }
  if (raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

/** A problem as readable text: title, detail and where it was (field, column, line). */
function problemText(error) {
  if (!(error instanceof ApiError)) return error && error.message ? error.message : String(error);
  const { title, detail, location } = error.problem;
  let text = title && detail && title !== detail ? `${title}: ${detail}` : detail || title || `HTTP ${error.status}`;
  const where = locationText(location);
  if (where) text += ` (${where})`;
  return text;
}

function locationText(location) {
  if (!location) return "";
  const parts = [];
  if (location.field) parts.push(`field ${location.field}`);
  if (location.column) parts.push(`column ${location.column}`);
  if (location.line !== undefined && location.line !== null) parts.push(`line ${location.line}`);
  return parts.join(", ");
}

/** A problem as a small block: bold title, detail, and its location. */
function problemNode(error) {
  if (!(error instanceof ApiError)) return h("div", { class: "problem" }, h("strong", {}, "Error"), " ", problemText(error));
  const { title, detail, location } = error.problem;
  const where = locationText(location);
  return h(
    "div",
    { class: "problem" },
    h("strong", {}, title || `HTTP ${error.status}`),
    detail && detail !== title ? h("span", {}, " — ", detail) : null,
    where ? h("div", { class: "problem-where" }, `Where: ${where}`) : null,
  );
}

// ---------------------------------------------------------------- flash messages

let flashTimer = null;

function flash(content, kind = "error") {
  const box = $("#flash");
  clearTimeout(flashTimer);
  fill(box,
    h("div", { class: "flash-body" }, content instanceof Node ? content : h("span", {}, content)),
    h("button", { type: "button", class: "link-button", "aria-label": "Dismiss", onclick: clearFlash }, "×"),
  );
  box.className = `flash flash-${kind}`;
  box.hidden = false;
  if (kind !== "error") flashTimer = setTimeout(clearFlash, 6000);
}

function flashError(error) {
  if (error && error.name === "AbortError") return;
  if (error instanceof ApiError && error.status === 401) return; // the sign-in form says it
  flash(problemNode(error), "error");
}

function clearFlash() {
  const box = $("#flash");
  box.hidden = true;
  fill(box);
}

// ---------------------------------------------------------------- server-sent events

/**
 * Reads `GET /v1/jobs/{id}/events` with fetch and calls `onJob` for each `job`
 * event. Returns the last job seen when the stream ends.
 */
async function readJobEvents(id, onJob, signal) {
  const response = await api(`/v1/jobs/${id}/events`, { raw: true, signal, headers: { Accept: "text/event-stream" } });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let type = "";
  let data = [];
  let last = null;
  const dispatch = () => {
    if (data.length && (type === "" || type === "job")) {
      try {
        last = JSON.parse(data.join("\n"));
        onJob(last);
      } catch (error) {
        console.warn("unreadable job event", error);
      }
    }
    type = "";
    data = [];
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === "") { dispatch(); continue; }
        if (line.startsWith(":")) continue; // comment / keep-alive
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let text = colon < 0 ? "" : line.slice(colon + 1);
        if (text.startsWith(" ")) text = text.slice(1);
        if (field === "event") type = text;
        else if (field === "data") data.push(text);
      }
    }
    if (buffer === "" && data.length) dispatch();
  } finally {
    reader.releaseLock();
  }
  return last;
}

const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);

/** Follows a job until it is terminal, reconnecting to its event stream if the connection drops. */
async function watchJob(id, onJob, signal) {
  let delay = 500;
  for (;;) {
    try {
      const last = await readJobEvents(id, onJob, signal);
      if (last && TERMINAL.has(last.status)) return last;
    } catch (error) {
      if (error.name === "AbortError" || signal?.aborted) return null;
      if (error instanceof ApiError && error.status !== 0 && error.status < 500) throw error;
    }
    if (signal?.aborted) return null;
    await sleep(delay);
    delay = Math.min(delay * 2, 5000);
  }
}

// ---------------------------------------------------------------- session

function signOut(message) {
  state.key = null;
  sessionStorage.removeItem(KEY_STORAGE);
  stopListStreams();
  stopAuditStream();
  route();
  if (message) $("#signin-error").textContent = message;
}

async function signIn(event) {
  event.preventDefault();
  const input = $("#api-key");
  const error = $("#signin-error");
  const key = input.value.trim();
  error.textContent = "";
  if (!/^prb_[0-9A-Za-z]+$/.test(key)) {
    error.textContent = "An API key starts with prb_ followed by letters and digits.";
    input.focus();
    return;
  }
  state.key = key;
  try {
    await api("/v1/datasets?limit=1", { signingIn: true });
  } catch (failure) {
    state.key = null;
    error.textContent = failure instanceof ApiError && failure.status === 401
      ? "This key was not accepted: it is unknown or revoked."
      : problemText(failure);
    input.focus();
    return;
  }
  sessionStorage.setItem(KEY_STORAGE, key);
  input.value = "";
  if (!location.hash || location.hash === "#/" || location.hash === "#") location.hash = "#/reports";
  else route();
}

// ---------------------------------------------------------------- routing

const VIEWS = ["signin", "datasets", "models", "jobs", "reports", "monitors", "audit", "report", "monitor"];

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, search = ""] = hash.split("?");
  const parts = path.split("/").filter(Boolean);
  return { parts, params: new URLSearchParams(search) };
}

function show(view) {
  for (const name of VIEWS) $(`#view-${name}`).hidden = name !== view;
  const signedIn = view !== "signin";
  $("#nav").hidden = !signedIn;
  $("#session").hidden = !signedIn;
  $("#session-key").textContent = state.key ? `${state.key.slice(0, 12)}…` : "";
  const section = { report: "reports", monitor: "monitors" }[view] || view;
  for (const link of $$("#nav a")) {
    if (link.getAttribute("href") === `#/${section}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (view !== "jobs") stopListStreams();
  state.view = view;
}

function route() {
  if (!state.key) {
    show("signin");
    document.title = "Sign in · Probity";
    $("#api-key").focus();
    return;
  }
  clearFlash();
  const { parts, params } = parseHash();
  const [section = "reports", id] = parts;
  const titles = { datasets: "Datasets", models: "Models", jobs: "Jobs", reports: "Reports", monitors: "Monitors", audit: "New audit" };
  if (section === "reports" && id) {
    show("report");
    document.title = "Report · Probity";
    openReport(id).catch(flashError);
    return;
  }
  if (section === "monitors" && id) {
    show("monitor");
    document.title = "Monitor · Probity";
    openMonitor(id).catch(flashError);
    return;
  }
  const view = titles[section] ? section : "reports";
  show(view);
  document.title = `${titles[view]} · Probity`;
  if (view === "audit") loadAuditForm(params.get("dataset")).catch(flashError);
  else loadList(view).catch(flashError);
}

// ---------------------------------------------------------------- lists

const LISTS = {
  datasets: { path: () => "/v1/datasets", row: datasetRow, empty: "No datasets yet. Upload one above." },
  models: { path: () => "/v1/models", row: modelRow, empty: "No models yet." },
  jobs: { path: () => "/v1/jobs", filter: () => ({ status: $("#jobs-status").value }), row: jobRow, empty: "No jobs.", after: followListJobs },
  reports: {
    path: () => "/v1/reports",
    filter: () => ({ verdict: $("#reports-verdict").value }),
    row: reportRow,
    empty: "No reports match. Start an audit to produce one.",
    before: loadCatalog,
  },
  monitors: {
    path: () => "/v1/monitors",
    row: monitorRow,
    empty: "No monitors yet. Create one with POST /v1/monitors.",
    after: (monitors) => countAlerts(monitors).catch(flashError),
  },
};

/** Loads the first page of a list (or the next one with `more`). */
async function loadList(name, { more = false } = {}) {
  const spec = LISTS[name];
  const table = $(`#${name}-table`);
  const body = $("tbody", table);
  const list = (state.lists[name] ||= { cursor: null, items: [] });
  if (!more) {
    list.cursor = null;
    list.items = [];
    table.setAttribute("aria-busy", "true");
  }
  if (spec.before) await spec.before();
  const filter = spec.filter ? spec.filter() : {};
  const page = await api(`${spec.path()}${query({ ...filter, limit: PAGE_SIZE, cursor: more ? list.cursor : null })}`);
  table.removeAttribute("aria-busy");
  list.cursor = page.next_cursor || null;
  list.items.push(...page.items);
  if (name === "datasets") for (const item of page.items) state.datasets.set(item.id, item);
  if (name === "models") for (const item of page.items) state.models.set(item.id, item);
  const rows = page.items.map(spec.row);
  if (more) body.append(...rows);
  else fill(body, ...(rows.length ? rows : [emptyRow(table, spec.empty)]));
  $(`[data-more="${name}"]`).hidden = !list.cursor;
  if (spec.after) spec.after(list.items);
}

/** Dataset and model names for the reports list (first 500 of each). */
async function loadCatalog() {
  const [datasets, models] = await Promise.all([api("/v1/datasets?limit=500"), api("/v1/models?limit=500")]);
  for (const item of datasets.items) state.datasets.set(item.id, item);
  for (const item of models.items) state.models.set(item.id, item);
  return { datasets: datasets.items, models: models.items };
}

function datasetRow(dataset) {
  const names = dataset.columns.map((c) => c.name);
  const shown = names.slice(0, 6).join(", ") + (names.length > 6 ? `, … (+${names.length - 6})` : "");
  return h(
    "tr",
    { "data-id": dataset.id },
    h("th", { scope: "row" }, h("span", { class: "strong" }, dataset.name), dataset.lineage ? h("span", { class: "tag" }, "derived") : null,
      h("div", { class: "muted mono small", title: `sha256 ${dataset.sha256}` }, shortId(dataset.sha256))),
    h("td", {}, dataset.format),
    h("td", { class: "num" }, fmtInt(dataset.row_count)),
    h("td", { class: "columns", title: names.join(", ") }, shown),
    h("td", { class: "num nowrap" }, fmtBytes(dataset.size_bytes)),
    timeCell(dataset.created_at),
    h("td", { class: "actions" }, h("a", { class: "button secondary small", href: `#/audit?dataset=${dataset.id}`, "aria-label": `Audit ${dataset.name}` }, "Audit")),
  );
}

function modelRow(model) {
  return h(
    "tr",
    { "data-id": model.id },
    h("th", { scope: "row" }, h("span", { class: "strong" }, model.name), h("div", { class: "muted mono small", title: `sha256 ${model.sha256}` }, shortId(model.sha256))),
    h("td", {}, model.version),
    h("td", {}, model.output),
    h("td", { class: "num" }, fmtNumber(model.threshold, 2)),
    h("td", { class: "columns", title: model.features.join(", ") }, model.features.join(", ")),
    h("td", {}, model.lineage ? "trained" : "uploaded"),
    timeCell(model.created_at),
  );
}

function progressNode(job) {
  const percent = Math.round((job.progress || 0) * 100);
  const done = job.status === "succeeded";
  return h(
    "div",
    { class: "progress" },
    h("progress", { max: 1, value: done ? 1 : job.progress || 0, "aria-label": `Progress of job ${shortId(job.id)}` }),
    h("span", { class: "progress-text" }, `${done ? 100 : percent} %`),
    job.progress_message && !TERMINAL.has(job.status) ? h("div", { class: "muted small" }, job.progress_message) : null,
  );
}

function jobOutcome(job) {
  const result = job.result || {};
  if (job.status === "failed" || (job.error && !TERMINAL.has(job.status))) {
    return h("span", { class: "error-text" }, job.error || "failed");
  }
  if (job.status !== "succeeded") return h("span", { class: "muted" }, job.cancel_requested ? "cancel requested" : "—");
  if (result.report_id) {
    return h("span", {}, result.verdict ? badge(result.verdict) : null, " ",
      h("a", { href: `#/reports/${result.report_id}` }, "Open report"));
  }
  if (result.dataset_id) return h("span", {}, "dataset ", h("span", { class: "mono" }, shortId(result.dataset_id)));
  if (result.model_id) return h("span", {}, "model ", h("span", { class: "mono" }, shortId(result.model_id)));
  return h("span", { class: "muted" }, "done");
}

function jobRow(job) {
  const cancellable = !TERMINAL.has(job.status) && !job.cancel_requested;
  return h(
    "tr",
    { "data-id": job.id, "data-status": job.status },
    h("th", { scope: "row" }, h("span", { class: "strong" }, job.kind), h("div", { class: "muted mono small" }, shortId(job.id))),
    h("td", {}, badge(job.status)),
    h("td", { class: "progress-col" }, progressNode(job)),
    h("td", { class: "outcome" }, jobOutcome(job)),
    h("td", { class: "num" }, `${job.attempts}/${job.max_attempts}`),
    timeCell(job.created_at),
    h("td", { class: "actions" }, cancellable
      ? h("button", { type: "button", class: "secondary small", onclick: () => cancelJob(job.id), "aria-label": `Cancel job ${shortId(job.id)}` }, "Cancel")
      : null),
  );
}

async function cancelJob(id) {
  try {
    const job = await api(`/v1/jobs/${id}/cancel`, { method: "POST" });
    updateJobRow(job);
    if (state.view === "audit") renderAuditJob(job);
    flash(`Cancellation of job ${shortId(id)} requested.`, "info");
  } catch (error) {
    flashError(error);
  }
}

function updateJobRow(job) {
  const items = state.lists.jobs?.items || [];
  const index = items.findIndex((item) => item.id === job.id);
  if (index >= 0) items[index] = job;
  const row = $(`#jobs-table tr[data-id="${job.id}"]`);
  if (row) row.replaceWith(jobRow(job));
}

/** Opens event streams for the running and queued jobs shown (a few at a time). */
function followListJobs(jobs) {
  const active = jobs.filter((job) => !TERMINAL.has(job.status));
  for (const [id, controller] of state.listStreams) {
    if (!active.some((job) => job.id === id)) { controller.abort(); state.listStreams.delete(id); }
  }
  for (const job of active) {
    if (state.listStreams.size >= MAX_LIST_STREAMS) break;
    if (state.listStreams.has(job.id)) continue;
    const controller = new AbortController();
    state.listStreams.set(job.id, controller);
    watchJob(job.id, updateJobRow, controller.signal)
      .catch((error) => { if (error.name !== "AbortError") console.warn("job stream", error); })
      .finally(() => {
        if (state.listStreams.get(job.id) !== controller) return;
        state.listStreams.delete(job.id);
        if (state.view === "jobs" && !controller.signal.aborted) {
          const waiting = (state.lists.jobs?.items || []).filter((j) => !TERMINAL.has(j.status) && !state.listStreams.has(j.id) && j.id !== job.id);
          if (waiting.length) followListJobs(waiting);
        }
      });
  }
}

function stopListStreams() {
  for (const controller of state.listStreams.values()) controller.abort();
  state.listStreams.clear();
}

function reportRow(report) {
  const dataset = state.datasets.get(report.dataset_id);
  const model = report.model_id ? state.models.get(report.model_id) : null;
  return h(
    "tr",
    { "data-id": report.id },
    h("td", {}, badge(report.verdict)),
    h("th", { scope: "row" }, dataset ? dataset.name : h("span", { class: "mono" }, shortId(report.dataset_id)),
      h("div", { class: "muted mono small", title: `dataset sha256 ${report.dataset_sha256}` }, shortId(report.dataset_sha256))),
    h("td", {}, report.model_id ? (model ? `${model.name} ${model.version}` : h("span", { class: "mono" }, shortId(report.model_id))) : h("span", { class: "muted" }, "—")),
    h("td", { class: "num" }, fmtNumber(report.demographic_parity_difference)),
    h("td", { class: "num" }, fmtNumber(report.equalized_odds_difference)),
    h("td", {}, report.pii_findings_sha256 ? "yes" : h("span", { class: "muted" }, "no")),
    timeCell(report.created_at),
    h("td", { class: "actions" }, h("a", { class: "button secondary small", href: `#/reports/${report.id}`, "aria-label": `Open report ${shortId(report.id)}` }, "Open")),
  );
}

// ---------------------------------------------------------------- upload

function uploadDataset(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const file = $("#upload-file").files[0];
  const status = $("#upload-status");
  if (!file) {
    fill(status, h("span", { class: "error-text" }, "Choose a file to upload."));
    $("#upload-file").focus();
    return;
  }
  const data = new FormData();
  const name = $("#upload-name").value.trim();
  if (name) data.append("name", name);
  data.append("file", file, file.name);
  const bar = h("progress", { max: 1, value: 0, "aria-label": "Upload progress" });
  const text = h("span", { class: "muted" }, `Uploading ${file.name} (${fmtBytes(file.size)})…`);
  fill(status, bar, " ", text);
  const submit = $("button[type=submit]", form);
  submit.disabled = true;

  // XMLHttpRequest rather than fetch: it reports upload progress.
  const request = new XMLHttpRequest();
  request.open("POST", "/v1/datasets");
  request.setRequestHeader("Authorization", `Bearer ${state.key}`);
  request.setRequestHeader("Accept", "application/json");
  request.upload.addEventListener("progress", (e) => {
    if (e.lengthComputable) bar.value = e.loaded / e.total;
    if (e.lengthComputable && e.loaded === e.total) text.textContent = `Validating and profiling ${file.name}…`;
  });
  request.addEventListener("loadend", () => {
    submit.disabled = false;
    if (request.status === 0) {
      fill(status, problemNode(new ApiError(0, { title: "Upload failed", detail: "The connection was lost." })));
      return;
    }
    let payload = null;
    try { payload = JSON.parse(request.responseText); } catch { payload = null; }
    if (request.status === 401) { signOut("Your API key was not accepted (unknown or revoked). Sign in again."); return; }
    if (request.status < 200 || request.status >= 300) {
      fill(status, problemNode(new ApiError(request.status, payload || { title: `HTTP ${request.status}`, detail: request.responseText.slice(0, 300) })));
      return;
    }
    fill(status,
      h("span", { class: "ok-text" }, `Uploaded ${payload.name}: ${fmtInt(payload.row_count)} rows, ${payload.columns.length} columns. `),
      h("a", { href: `#/audit?dataset=${payload.id}` }, "Audit it"),
    );
    form.reset();
    state.datasets.set(payload.id, payload);
    loadList("datasets").catch(flashError);
  });
  request.send(data);
}

// ---------------------------------------------------------------- audit form

const LABEL_HINT = /^(label|target|y|outcome|actual|truth|ground_truth|.*_label|.*recid.*)$/i;
const PREDICTION_HINT = /(pred|decision|high_risk|yhat)/i;
const SCORE_HINT = /(score|prob|proba|probability)/i;

async function loadAuditForm(preselect) {
  const { datasets, models } = await loadCatalog();
  const select = $("#audit-dataset");
  const current = preselect || select.value;
  fill(select,
    h("option", { value: "" }, datasets.length ? "Choose a dataset…" : "No datasets yet: upload one first"),
    ...datasets.map((d) => h("option", { value: d.id }, `${d.name} · ${fmtInt(d.row_count)} rows · ${shortId(d.id)}`)),
  );
  const modelSelect = $("#audit-model");
  const currentModel = modelSelect.value;
  fill(modelSelect,
    h("option", { value: "" }, models.length ? "Choose a model…" : "No models yet"),
    ...models.map((m) => h("option", { value: m.id }, `${m.name} ${m.version} · ${m.features.length} features`)),
  );
  modelSelect.value = currentModel;
  if (current && datasets.some((d) => d.id === current)) {
    select.value = current;
  } else if (current) {
    // Not on the first page: fetch it directly.
    try {
      const dataset = await api(`/v1/datasets/${current}`);
      state.datasets.set(dataset.id, dataset);
      select.append(h("option", { value: dataset.id }, `${dataset.name} · ${fmtInt(dataset.row_count)} rows · ${shortId(dataset.id)}`));
      select.value = dataset.id;
    } catch (error) {
      flashError(error);
    }
  }
  await datasetChosen();
}

function columnOptions(select, columns, hint, { allowNone = false } = {}) {
  const previous = select.value;
  fill(select,
    h("option", { value: "" }, allowNone ? "—" : "Choose a column…"),
    ...columns.map((c) => h("option", { value: c.name }, `${c.name} (${c.dtype})`)),
  );
  const names = columns.map((c) => c.name);
  if (names.includes(previous)) select.value = previous;
  else {
    const guess = hint ? names.find((n) => hint.test(n)) : undefined;
    select.value = guess || "";
  }
  select.disabled = columns.length === 0;
}

async function datasetChosen() {
  const id = $("#audit-dataset").value;
  const hint = $("#audit-dataset-hint");
  const list = $("#audit-sensitive-list");
  if (!id) {
    for (const select of ["#audit-label", "#audit-prediction", "#audit-score"]) columnOptions($(select), [], null);
    fill(list, h("p", { class: "muted" }, "Choose a dataset first."));
    hint.textContent = "";
    return;
  }
  const dataset = await api(`/v1/datasets/${id}`);
  state.datasets.set(dataset.id, dataset);
  const columns = dataset.columns;
  hint.textContent = `${dataset.format.toUpperCase()}, ${fmtInt(dataset.row_count)} rows, ${columns.length} columns.`;
  columnOptions($("#audit-label"), columns, LABEL_HINT);
  columnOptions($("#audit-prediction"), columns, PREDICTION_HINT);
  columnOptions($("#audit-score"), columns.filter((c) => /^f/.test(c.dtype)), SCORE_HINT);
  const previously = new Set($$("input[name=sensitive]:checked", list).map((input) => input.value));
  fill(list,
    ...columns.map((column, index) => h(
      "label",
      { class: "choice check", for: `sensitive-${index}` },
      h("input", { type: "checkbox", id: `sensitive-${index}`, name: "sensitive", value: column.name, checked: previously.has(column.name) }),
      h("span", {}, column.name),
      h("span", { class: "dtype", "aria-hidden": "true" }, column.dtype),
    )),
  );
}

/** Shows the fairness inputs only while the fairness check is on. */
function fairnessToggled() {
  const on = $("#audit-fairness").checked;
  for (const field of $$("#audit-form [data-fairness]")) field.hidden = !on;
}

function sourceChosen() {
  const source = $("#audit-form input[name=source]:checked").value;
  for (const field of $$("#audit-form [data-source]")) field.hidden = field.dataset.source !== source;
}

/** The positive label typed as the label column's dtype: integer, boolean or string. */
function positiveLabel(text, dtype) {
  const value = text.trim();
  if (/^bool/.test(dtype)) {
    if (/^(true|1)$/i.test(value)) return true;
    if (/^(false|0)$/i.test(value)) return false;
    throw new Error("The positive label of a boolean column is true or false.");
  }
  if (/^[iu]\d+$/.test(dtype)) {
    if (!/^-?\d+$/.test(value)) throw new Error(`The label column holds integers (${dtype}); the positive label must be one.`);
    return Number.parseInt(value, 10);
  }
  if (/^f\d+$/.test(dtype) && /^-?\d+$/.test(value)) return Number.parseInt(value, 10);
  return value;
}

function auditRequest() {
  const datasetId = $("#audit-dataset").value;
  if (!datasetId) throw new Error("Choose a dataset.");
  if (!$("#audit-fairness").checked) {
    if (!$("#audit-pii").checked) throw new Error("Turn on at least one check.");
    return { dataset_id: datasetId, checks: { fairness: null, pii: {} } };
  }
  const dataset = state.datasets.get(datasetId);
  const label = $("#audit-label").value;
  if (!label) throw new Error("Choose the label column.");
  const dtype = dataset?.columns?.find((c) => c.name === label)?.dtype || "str";
  const positive = $("#audit-positive").value;
  if (!positive.trim()) throw new Error("Enter the positive label.");
  const sensitive = $$("#audit-sensitive-list input[name=sensitive]:checked").map((input) => input.value);
  if (!sensitive.length) throw new Error("Choose at least one sensitive feature.");
  const body = { dataset_id: datasetId, label_column: label, positive_label: positiveLabel(positive, dtype), sensitive_features: sensitive };
  const source = $("#audit-form input[name=source]:checked").value;
  if (source === "prediction") {
    body.prediction_column = $("#audit-prediction").value;
    if (!body.prediction_column) throw new Error("Choose the prediction column.");
  } else if (source === "score") {
    body.score_column = $("#audit-score").value;
    if (!body.score_column) throw new Error("Choose the score column (a float column).");
    const threshold = Number.parseFloat($("#audit-threshold").value);
    if (!(threshold >= 0 && threshold <= 1)) throw new Error("The threshold is a number from 0 to 1.");
    body.threshold = threshold;
  } else {
    body.model_id = $("#audit-model").value;
    if (!body.model_id) throw new Error("Choose a model.");
  }
  if ($("#audit-pii").checked) body.checks = { pii: {} };
  return body;
}

async function startAudit(event) {
  event.preventDefault();
  const error = $("#audit-form-error");
  fill(error);
  let body;
  try {
    body = auditRequest();
  } catch (failure) {
    error.textContent = failure.message;
    return;
  }
  const submit = $("#audit-submit");
  submit.disabled = true;
  try {
    const job = await api("/v1/audits", { method: "POST", json: body, headers: { "Idempotency-Key": crypto.randomUUID() } });
    followAuditJob(job);
  } catch (failure) {
    if (failure instanceof ApiError) fill(error, problemNode(failure));
    else error.textContent = problemText(failure);
  } finally {
    submit.disabled = false;
  }
}

function stopAuditStream() {
  if (state.auditStream) state.auditStream.abort();
  state.auditStream = null;
}

function followAuditJob(job) {
  stopAuditStream();
  const controller = new AbortController();
  state.auditStream = controller;
  $("#audit-job").dataset.job = job.id;
  renderAuditJob(job);
  watchJob(job.id, renderAuditJob, controller.signal)
    .then((last) => { if (last) renderAuditJob(last); })
    .catch((error) => { if (error.name !== "AbortError") flashError(error); });
}

function renderAuditJob(job) {
  const panel = $("#audit-job");
  if (panel.dataset.job && panel.dataset.job !== job.id) return;
  panel.dataset.job = job.id;
  panel.hidden = false;
  const result = job.result || {};
  const cancellable = !TERMINAL.has(job.status) && !job.cancel_requested;
  fill($("#audit-job-body"),
    h("div", { class: "job-line" },
      h("span", { class: "mono" }, `Job ${shortId(job.id)}`), " ", badge(job.status),
      job.attempts > 1 ? h("span", { class: "muted" }, ` attempt ${job.attempts} of ${job.max_attempts}`) : null,
      cancellable ? h("button", { type: "button", class: "secondary small", onclick: () => cancelJob(job.id) }, "Cancel") : null),
    progressNode(job),
    job.status === "succeeded" && result.report_id
      ? h("div", { class: "job-done" }, h("span", {}, "Audit finished. Verdict:"), badge(result.verdict || "unknown"),
        h("a", { href: `#/reports/${result.report_id}`, class: "button primary" }, "Open report"))
      : null,
    job.status === "failed" ? h("div", { class: "problem" }, h("strong", {}, "The audit failed"), " — ", job.error || "no reason given") : null,
    job.status === "cancelled" ? h("p", { class: "muted" }, "The audit was cancelled.") : null,
    job.status === "queued" && job.error ? h("p", { class: "muted" }, `Last attempt failed, retrying: ${job.error}`) : null,
  );
}

// ---------------------------------------------------------------- report view

async function openReport(id) {
  const summary = $("#report-summary");
  const container = $("#report-body");
  const actions = $("#report-actions");
  fill(summary, h("p", { class: "muted" }, "Loading…"));
  fill(container);
  fill(actions);
  $("#report-title").textContent = `Report ${shortId(id)}`;
  const report = await api(`/v1/reports/${id}`);
  state.report = report;
  renderReportSummary(report);
  fill(actions,
    h("button", { type: "button", class: "secondary small", onclick: () => saveBlob(new Blob([JSON.stringify(report, null, 2)], { type: "application/json" }), `report-${id}.json`) }, "Download JSON"),
    h("button", { type: "button", class: "secondary small", onclick: () => download(`/v1/reports/${id}.md`, `report-${id}.md`) }, "Download Markdown"),
    report.pii_findings_sha256
      ? h("button", { type: "button", class: "secondary small", onclick: () => download(`/v1/reports/${id}/pii-findings`, `pii-findings-${id}.ndjson`) }, "PII findings (NDJSON)")
      : null,
  );

  const tabs = h("div", { class: "segmented", role: "group", "aria-label": "Report display" });
  const frameBox = h("div", { class: "report-frame" });
  const jsonBox = h("div", { class: "report-json", hidden: true });
  fill(container, tabs, frameBox, jsonBox);
  renderJsonReport(jsonBox, report);

  let html = null;
  try {
    const response = await api(`/v1/reports/${id}.html`, { raw: true, headers: { Accept: "text/html" } });
    html = await response.text();
  } catch (error) {
    // A server without the rendering answers 404 (or 400: `{id}.html` is then not a report id).
    if (!(error instanceof ApiError) || ![400, 404, 405, 406].includes(error.status)) throw error;
  }
  if (state.report !== report) return; // another report was opened meanwhile
  const select = (which) => {
    frameBox.hidden = which !== "html";
    jsonBox.hidden = which !== "json";
    for (const button of $$("button", tabs)) button.setAttribute("aria-pressed", String(button.dataset.which === which));
  };
  if (html === null) {
    fill(frameBox, h("p", { class: "muted" }, "The rendered HTML report is not available from this server; this is the summary of the JSON report."));
    tabs.hidden = true;
    frameBox.hidden = false;
    jsonBox.hidden = false;
    return;
  }
  // Sandboxed: no scripts, no forms, no popups; same origin only so the page can size the frame to its content.
  const frame = h("iframe", { title: "Audit report", sandbox: "allow-same-origin", referrerpolicy: "no-referrer", loading: "eager" });
  frame.srcdoc = html;
  frame.addEventListener("load", () => fitFrame(frame));
  fill(frameBox, frame);
  fill(tabs,
    h("button", { type: "button", "data-which": "html", onclick: () => select("html") }, "Report"),
    h("button", { type: "button", "data-which": "json", onclick: () => select("json") }, "Summary"),
  );
  select("html");
}

function fitFrame(frame) {
  try {
    const doc = frame.contentDocument;
    if (!doc) return;
    const height = Math.max(doc.documentElement.scrollHeight, doc.body ? doc.body.scrollHeight : 0);
    frame.style.height = `${height + 24}px`;
  } catch {
    // Cross-origin (should not happen with srcdoc): keep the CSS height.
  }
}

async function download(path, filename) {
  try {
    const response = await api(path, { raw: true, headers: { Accept: "*/*" } });
    saveBlob(await response.blob(), filename);
  } catch (error) {
    if (error instanceof ApiError && [400, 404].includes(error.status)) flash(`Not available from this server: ${problemText(error)}`, "error");
    else flashError(error);
  }
}

function figure(label, value, extra) {
  return h("div", { class: "figure" }, h("div", { class: "figure-label" }, label), h("div", { class: "figure-value" }, value), extra ? h("div", { class: "figure-extra muted" }, extra) : null);
}

function ciText(ci) {
  return Array.isArray(ci) ? `95 % CI ${fmtNumber(ci[0])} – ${fmtNumber(ci[1])}` : null;
}

function renderReportSummary(report) {
  const body = report.body || {};
  const inputs = body.inputs || {};
  const fairness = body.fairness || {};
  const groupings = fairness.groupings || [];
  const headline = groupings[groupings.length - 1];
  const aggregates = headline?.aggregates || {};
  const dpd = aggregates.demographic_parity_difference?.between_groups;
  const eod = aggregates.equalized_odds_difference?.worst_case?.between_groups;
  const predictions = inputs.model
    ? `model ${inputs.model.name} ${inputs.model.version} (threshold ${inputs.model.threshold})`
    : inputs.prediction_column
      ? `column ${inputs.prediction_column}`
      : `scores in ${inputs.score_column} ≥ ${inputs.threshold ?? 0.5}`;
  $("#report-title").textContent = `Audit of ${inputs.dataset?.name || shortId(report.dataset_id)}`;
  fill($("#report-summary"),
    h("div", { class: "summary-head" },
      h("div", { class: "verdict-block" }, h("div", { class: "figure-label" }, "Verdict"), badge(report.verdict), h("span", { class: "sr-only" }, ` verdict ${report.verdict}`)),
      figure("Demographic parity difference", fmtNumber(report.demographic_parity_difference), ciText(dpd?.ci)),
      figure("Equalized odds difference", fmtNumber(report.equalized_odds_difference), ciText(eod?.ci)),
      figure("Rows", fmtInt(fairness.rows ?? body.pii?.rows_total)),
      body.pii ? figure("PII risk", body.pii.risk?.level || "—", `verdict ${body.pii.verdict}`) : null,
    ),
    h("dl", { class: "facts" },
      h("dt", {}, "Dataset"), h("dd", {}, inputs.dataset?.name || "—", " ", h("span", { class: "mono muted small", title: inputs.dataset?.sha256 }, `sha256 ${shortId(report.dataset_sha256)}`)),
      ...(body.fairness ? [
        h("dt", {}, "Label"), h("dd", {}, `${inputs.label_column} (positive: ${JSON.stringify(inputs.positive_label)})`),
        h("dt", {}, "Predictions"), h("dd", {}, predictions),
        h("dt", {}, "Sensitive features"), h("dd", {}, (inputs.sensitive_features || []).join(", ")),
      ] : [h("dt", {}, "Checks"), h("dd", {}, "PII only (fairness off)")]),
      h("dt", {}, "Created"), h("dd", {}, fmtTime(report.created_at), body.software ? ` by ${body.software.name} ${body.software.version}` : ""),
      h("dt", {}, "Report sha256"), h("dd", { class: "mono small break" }, report.sha256),
    ),
  );
}

const RATE_COLUMNS = [
  ["selection_rate", "Selection rate"],
  ["true_positive_rate", "TPR"],
  ["false_positive_rate", "FPR"],
  ["false_negative_rate", "FNR"],
  ["precision", "Precision"],
  ["accuracy", "Accuracy"],
];

/** The small JSON view: verdicts and the per-group table of every grouping. */
function renderJsonReport(box, report) {
  const fairness = report.body?.fairness || {};
  const sections = (fairness.groupings || []).map((grouping) => {
    const title = grouping.features.join(" × ");
    const verdicts = (grouping.verdicts || []).map((v) => h(
      "li", {}, badge(v.outcome), " ",
      h("span", { class: "mono" }, `${v.figure} ${v.comparison} ${v.bound}`), ": ", fmtNumber(v.value),
      h("div", { class: "muted small" }, v.reason),
    ));
    const table = h(
      "table", { "aria-label": `Groups by ${title}` },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Group"), h("th", { scope: "col", class: "num" }, "Rows"),
        ...RATE_COLUMNS.map(([, label]) => h("th", { scope: "col", class: "num" }, label)))),
      h("tbody", {}, ...grouping.groups.map((group) => h(
        "tr", { class: group.small ? "small-group" : null },
        h("th", { scope: "row" }, group.group.join(" × "), group.small ? h("span", { class: "tag", title: "Fewer rows than the minimum group size: kept out of verdicts" }, "small") : null),
        h("td", { class: "num" }, fmtInt(group.rows)),
        ...RATE_COLUMNS.map(([key]) => h("td", { class: "num" }, fmtPercent(group.rates?.[key]))),
      ))),
    );
    return h("section", { class: "card grouping" }, h("h2", {}, title), verdicts.length ? h("ul", { class: "verdicts" }, verdicts) : null, h("div", { class: "table-scroll" }, table));
  });
  const pii = report.body?.pii;
  if (pii) {
    const affected = (pii.columns || []).filter((c) => c.rows_affected > 0);
    sections.push(h("section", { class: "card grouping" }, h("h2", {}, "PII exposure"),
      h("p", {}, badge(pii.verdict), ` ${fmtInt(pii.rows_scanned)} of ${fmtInt(pii.rows_total)} rows scanned; risk ${pii.risk?.level || "—"}.`),
      affected.length
        ? h("table", { "aria-label": "PII by column" },
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Column"), h("th", { scope: "col" }, "Entities"), h("th", { scope: "col", class: "num" }, "Rows affected"), h("th", { scope: "col" }, "Examples"))),
          h("tbody", {}, ...affected.map((c) => h("tr", {},
            h("th", { scope: "row" }, c.column),
            h("td", {}, (c.entities || []).map((e) => e.entity).join(", ")),
            h("td", { class: "num" }, `${fmtInt(c.rows_affected)} (${fmtPercent(c.share_affected)})`),
            h("td", { class: "mono small" }, (c.examples || []).join("  "))))))
        : h("p", { class: "muted" }, "No personal data found in the scanned columns.")));
  }
  fill(box, ...sections);
}

// ---------------------------------------------------------------- monitors

const WINDOW_MS = { hour: 3_600_000, day: 86_400_000, week: 604_800_000 };
const MONITORED_RATES = { selection_rate: "selection rate", true_positive_rate: "true positive rate", false_positive_rate: "false positive rate" };

/** A window's start as windows are cut, in UTC: the hour of hourly windows, else the day. */
function fmtWindow(iso, length, { short = false } = {}) {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso || "—";
  const text = new Date(time).toISOString();
  const day = short ? text.slice(5, 10) : text.slice(0, 10);
  return length === "hour" ? `${day} ${text.slice(11, 16)}${short ? "" : " UTC"}` : day;
}

function alertCountNode(count) {
  if (count === undefined) return h("span", { class: "muted", title: "Counting…" }, "…");
  return count ? badge(String(count), "fail") : h("span", {}, "0");
}

function monitorRow(monitor) {
  const request = monitor.request || {};
  const features = request.sensitive_features || [];
  return h(
    "tr",
    { "data-id": monitor.id },
    h("th", { scope: "row" }, h("span", { class: "strong" }, request.name), h("div", { class: "muted mono small" }, shortId(monitor.id))),
    h("td", {}, request.window),
    h("td", { class: "columns", title: features.join(", ") }, features.join(", ")),
    monitor.watermark ? timeCell(monitor.watermark) : h("td", { class: "muted" }, "no records yet"),
    h("td", { class: "num", "data-alerts": "" }, alertCountNode(state.alertCounts.get(monitor.id))),
    timeCell(monitor.created_at),
    h("td", { class: "actions" }, h("a", { class: "button secondary small", href: `#/monitors/${monitor.id}`, "aria-label": `Open monitor ${request.name}` }, "Open")),
  );
}

/** Fills the Alerts column of the Monitors list: one `GET …/alerts` per monitor, four at a time. */
async function countAlerts(monitors) {
  const queue = monitors.slice();
  const worker = async () => {
    for (let monitor = queue.shift(); monitor; monitor = queue.shift()) {
      const alerts = await api(`/v1/monitors/${monitor.id}/alerts`);
      state.alertCounts.set(monitor.id, alerts.length);
      const cell = $(`#monitors-table tr[data-id="${CSS.escape(monitor.id)}"] [data-alerts]`);
      if (cell) fill(cell, alertCountNode(alerts.length));
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

async function openMonitor(id) {
  const path = `/v1/monitors/${encodeURIComponent(id)}`;
  if (state.monitor !== id) {
    fill($("#monitor-summary"), h("p", { class: "muted" }, "Loading…"));
    fill($("#monitor-body"));
    $("#monitor-title").textContent = `Monitor ${shortId(id)}`;
  }
  state.monitor = id;
  const [monitor, windows, alerts] = await Promise.all([api(path), api(`${path}/windows`), api(`${path}/alerts`)]);
  if (state.monitor !== id || state.view !== "monitor") return; // another view was opened meanwhile
  state.alertCounts.set(monitor.id, alerts.length);
  renderMonitorSummary(monitor, windows, alerts);
  fill($("#monitor-body"), ...monitorTrends(monitor, windows), windowsCard(monitor, windows), alertsCard(monitor, alerts));
}

function renderMonitorSummary(monitor, windows, alerts) {
  const request = monitor.request || {};
  const policy = request.policy || {};
  const latest = windows[windows.length - 1];
  const model = request.model_id ? state.models.get(request.model_id) : null;
  $("#monitor-title").textContent = request.name || `Monitor ${shortId(monitor.id)}`;
  fill($("#monitor-summary"),
    h("div", { class: "summary-head" },
      h("div", { class: "verdict-block" }, h("div", { class: "figure-label" }, "Newest window"),
        latest ? badge(latest.verdict) : h("div", { class: "muted" }, "none yet")),
      figure("Windows", fmtInt(windows.length), latest ? `newest ${fmtWindow(latest.window_start, request.window)}` : null),
      figure("Label coverage", latest ? fmtPercent(latest.label_coverage) : "—", latest ? `${fmtInt(latest.labelled)} of ${fmtInt(latest.records)} labelled` : null),
      figure("Alerts", fmtInt(alerts.length), alerts.length ? `newest ${fmtTime(alerts[alerts.length - 1].created_at)}` : "none raised"),
    ),
    h("dl", { class: "facts" },
      h("dt", {}, "Model"), h("dd", {}, request.model_id
        ? (model ? `${model.name} ${model.version}` : h("span", { class: "mono" }, request.model_id))
        : h("span", { class: "muted" }, "—")),
      h("dt", {}, "Window"), h("dd", {}, `${request.window} (UTC); decisions kept ${request.label_retention_days} days for late labels`),
      h("dt", {}, "Sensitive features"), h("dd", {}, (request.sensitive_features || []).join(", ")),
      h("dt", {}, "Positive label"), h("dd", { class: "mono" }, JSON.stringify(request.positive_label)),
      h("dt", {}, "Policy"), h("dd", {}, `demographic parity difference ≤ ${fmtNumber(policy.demographic_parity_difference_max, 2)}, equalized odds difference ≤ ${fmtNumber(policy.equalized_odds_difference_max, 2)}`),
      h("dt", {}, "Alerts"), h("dd", {}, `sequential test, false alarm rate α = ${request.alerting?.alpha ?? "—"} over the monitor's life`),
      h("dt", {}, "Webhook"), h("dd", {}, request.webhook ? h("span", { class: "mono break" }, request.webhook.url) : h("span", { class: "muted" }, "none")),
      h("dt", {}, "Watermark"), h("dd", {}, monitor.watermark ? fmtTime(monitor.watermark) : "no records yet"),
      h("dt", {}, "Created"), h("dd", {}, fmtTime(monitor.created_at)),
    ),
  );
}

/** Per sensitive feature, its demographic parity and equalized odds differences over the windows. */
function monitorTrends(monitor, windows) {
  const request = monitor.request || {};
  const policy = request.policy || {};
  if (!windows.length) return [h("section", { class: "card" }, h("p", { class: "muted" }, "No windows yet: send decisions to ", h("code", {}, "POST /v1/monitors/{id}/records"), "."))];
  const figures = request.figures || {};
  const band = figures.resamples === 0 ? null : `${Math.round((figures.confidence ?? 0.95) * 100)} % bootstrap interval`;
  return (request.sensitive_features || []).map((feature) => {
    const series = (key, check) => windows.map((w) => {
      const of = (w.features || []).find((f) => f.feature === feature);
      return { at: w.window_start, estimate: of?.[key], outcome: of?.checks?.find((c) => c.check === check)?.outcome };
    });
    return h("section", { class: "card", "data-feature": feature }, h("h2", {}, `By ${feature}`),
      h("div", { class: "charts" },
        trendChart({ title: "Demographic parity difference", subject: feature, band, length: request.window,
          points: series("demographic_parity_difference", "demographic_parity_difference_max"), bound: policy.demographic_parity_difference_max }),
        trendChart({ title: "Equalized odds difference", subject: feature, band, length: request.window,
          points: series("equalized_odds_difference", "equalized_odds_difference_max"), bound: policy.equalized_odds_difference_max }),
      ));
  });
}

function windowsCard(monitor, windows) {
  const length = monitor.request?.window;
  const coverage = windows.map((w) => ({ at: w.window_start, estimate: { value: w.label_coverage, interval: null } }));
  const rows = windows.slice().reverse().map((w) => h(
    "tr", { "data-window": w.window_start },
    h("th", { scope: "row", class: "nowrap" }, h("time", { datetime: w.window_start }, fmtWindow(w.window_start, length))),
    h("td", { class: "num" }, fmtInt(w.records)),
    h("td", { class: "num" }, fmtInt(w.labelled)),
    h("td", { class: "num" }, fmtPercent(w.label_coverage)),
    h("td", { class: "small" }, ...(w.features || []).map((f) => h("div", {},
      `${f.feature}: DPD ${fmtNumber(f.demographic_parity_difference?.value)} · EOD ${fmtNumber(f.equalized_odds_difference?.value)}`))),
    h("td", {}, badge(w.verdict)),
  ));
  return h("section", { class: "card" }, h("h2", {}, "Windows"),
    windows.length ? h("div", { class: "charts" }, trendChart({ title: "Label coverage", subject: "decisions", points: coverage, length, percent: true })) : null,
    h("div", { class: "table-scroll" }, h("table", { "aria-label": "Windows" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, length === "hour" ? "Window" : "Window (UTC day)"), h("th", { scope: "col", class: "num" }, "Records"),
        h("th", { scope: "col", class: "num" }, "Labelled"), h("th", { scope: "col", class: "num" }, "Label coverage"),
        h("th", { scope: "col" }, "Figures"), h("th", { scope: "col" }, "Verdict"))),
      h("tbody", {}, rows.length ? rows : h("tr", { class: "empty" }, h("td", { colspan: 6 }, "No windows yet."))))));
}

function alertsCard(monitor, alerts) {
  const length = monitor.request?.window;
  const rows = alerts.slice().reverse().map((alert) => {
    const gap = alert.evidence?.alert;
    return h(
      "tr", { "data-id": alert.id },
      h("th", { scope: "row" }, alert.feature),
      h("td", {}, MONITORED_RATES[alert.rate] || alert.rate,
        gap?.groups ? h("div", { class: "muted small" }, `${gap.groups.join(" vs ")}: gap ${fmtNumber(gap.estimate)}, at least ${fmtNumber(gap.lower_bound)} > bound ${fmtNumber(gap.bound, 2)}`) : null),
      h("td", { class: "nowrap" }, fmtWindow(alert.window_start, length)),
      timeCell(alert.created_at),
      h("td", { class: "mono small", title: alert.evidence_sha256 }, `${String(alert.evidence_sha256 || "").slice(0, 16)}…`),
      h("td", {}, alert.signature
        ? h("span", { class: "ok-text", title: `${alert.signature.algorithm} key ${alert.signature.key_id}` }, "signed")
        : h("span", { class: "muted" }, "unsigned")),
      h("td", { class: "actions" }, h("button", {
        type: "button", class: "secondary small", "aria-label": `Download the evidence of alert ${shortId(alert.id)}`,
        onclick: () => saveBlob(new Blob([JSON.stringify(alert, null, 2)], { type: "application/json" }), `alert-${alert.id}.json`),
      }, "Evidence")),
    );
  });
  return h("section", { class: "card" }, h("h2", {}, `Alerts (${alerts.length})`),
    rows.length
      ? h("div", { class: "table-scroll" }, h("table", { "aria-label": "Alerts" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Feature"), h("th", { scope: "col" }, "Rate"), h("th", { scope: "col" }, "Window"),
          h("th", { scope: "col" }, "Raised"), h("th", { scope: "col" }, "Evidence sha256"), h("th", { scope: "col" }, "Signature"),
          h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Download")))),
        h("tbody", {}, rows)))
      : h("p", { class: "muted" }, "No alerts: no gap between groups has crossed its bound with the confidence the sequential test needs."));
}

// ---------------------------------------------------------------- trend charts

// The SVG namespace, from the HTML parser (the assets carry no URL strings).
const SVG_NS = new DOMParser().parseFromString("<svg></svg>", "text/html").body.firstChild.namespaceURI;
const CHART = { width: 520, height: 200, left: 44, right: 12, top: 12, bottom: 28, inset: 10 };

/** Creates an SVG element; like `h`, text goes in as text, attributes with setAttribute. */
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Splits points into runs where `keep` holds (a missing figure breaks the line). */
function runs(points, keep) {
  const out = [[]];
  for (const point of points) {
    if (keep(point)) out[out.length - 1].push(point);
    else if (out[out.length - 1].length) out.push([]);
  }
  return out.filter((run) => run.length);
}

/**
 * A figure over windows as an SVG line chart in [0, 1]: the value line, its
 * bootstrap interval as a band (whiskers for a lone window), the policy bound
 * dashed, and each window's point coloured by its check's outcome.
 */
function trendChart({ title, subject, points, bound, length, band = null, percent = false }) {
  const { width, height, left, right, top, bottom, inset } = CHART;
  const value = (p) => p.estimate?.value;
  const interval = (p) => p.estimate?.interval;
  const format = percent ? (v) => `${Math.round(v * 100)} %` : (v) => v.toFixed(2);
  const times = points.map((p) => Date.parse(p.at));
  let [t0, t1] = [Math.min(...times), Math.max(...times)];
  if (t0 === t1) { t0 -= (WINDOW_MS[length] || WINDOW_MS.day) / 2; t1 += (WINDOW_MS[length] || WINDOW_MS.day) / 2; }
  const highs = points.flatMap((p) => [value(p), interval(p)?.[1]]).filter(Number.isFinite);
  const peak = percent ? 1 : Math.max(0.05, (bound ?? 0) * 1.25, ...highs);
  const step = percent ? 0.25 : peak <= 0.2 ? 0.05 : peak <= 0.5 ? 0.1 : 0.25;
  const yMax = Math.min(1, Math.ceil(peak / step - 1e-9) * step);
  const x = (t) => left + inset + ((t - t0) / (t1 - t0)) * (width - left - right - 2 * inset);
  const y = (v) => top + (1 - Math.min(Math.max(v, 0), yMax) / yMax) * (height - top - bottom);
  const xOf = (p) => x(Date.parse(p.at)).toFixed(1);
  const yOf = (v) => y(v).toFixed(1);

  const grid = [];
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    grid.push(svg("line", { class: v === 0 ? "axis" : "grid", x1: left, x2: width - right, y1: yOf(v), y2: yOf(v) }),
      svg("text", { class: "tick", x: left - 6, y: (y(v) + 4).toFixed(1), "text-anchor": "end" }, format(v)));
  }
  const labels = Math.min(points.length, 6);
  const shown = new Set(Array.from({ length: labels }, (_, i) => (labels === 1 ? 0 : Math.round((i * (points.length - 1)) / (labels - 1)))));
  const xTicks = [...shown].map((i) => svg("text", { class: "tick", x: xOf(points[i]), y: height - bottom + 17, "text-anchor": "middle" }, fmtWindow(points[i].at, length, { short: true })));

  const bands = runs(points, (p) => Array.isArray(interval(p)) && Number.isFinite(value(p))).map((run) => (run.length > 1
    ? svg("polygon", { class: "band", points: [...run.map((p) => `${xOf(p)},${yOf(interval(p)[1])}`), ...run.slice().reverse().map((p) => `${xOf(p)},${yOf(interval(p)[0])}`)].join(" ") })
    : svg("path", { class: "whisker", d: `M${xOf(run[0])},${yOf(interval(run[0])[0])}V${yOf(interval(run[0])[1])}m-4,0h8M${Number(xOf(run[0])) - 4},${yOf(interval(run[0])[0])}h8` })));
  const lines = runs(points, (p) => Number.isFinite(value(p))).map((run) => svg("path", { class: "line", d: run.map((p, i) => `${i ? "L" : "M"}${xOf(p)},${yOf(value(p))}`).join("") }));
  const dots = points.filter((p) => Number.isFinite(value(p))).map((p) => svg(
    "circle", { class: `point point-${p.outcome || "none"}`, cx: xOf(p), cy: yOf(value(p)), r: 3.5 },
    svg("title", {}, `${fmtWindow(p.at, length)}: ${format(value(p))}`,
      Array.isArray(interval(p)) ? ` (${format(interval(p)[0])} – ${format(interval(p)[1])})` : "", p.outcome ? `, ${p.outcome}` : ""),
  ));
  const limit = Number.isFinite(bound) ? [
    svg("line", { class: "bound", x1: left, x2: width - right, y1: yOf(bound), y2: yOf(bound) }),
    svg("text", { class: "tick bound-label", x: width - right - 2, y: (y(bound) - 4).toFixed(1), "text-anchor": "end" }, `bound ${format(bound)}`),
  ] : [];

  const name = `${title} of ${subject} by window`;
  const chart = svg("svg", { class: "trend", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": name, "data-chart": title },
    svg("title", {}, name), grid, xTicks, bands, limit, lines, dots);
  return h("figure", { class: "chart" },
    h("figcaption", {}, h("span", { class: "strong" }, title),
      h("span", { class: "legend" },
        h("span", { class: "key key-line", "aria-hidden": "true" }), "value",
        band ? [h("span", { class: "key key-band", "aria-hidden": "true" }), band] : null,
        Number.isFinite(bound) ? [h("span", { class: "key key-bound", "aria-hidden": "true" }), "policy bound"] : null)),
    chart);
}

// ---------------------------------------------------------------- wiring

function init() {
  $("#signin-form").addEventListener("submit", signIn);
  $("#sign-out").addEventListener("click", () => signOut());
  $("#upload-form").addEventListener("submit", uploadDataset);
  $("#audit-form").addEventListener("submit", startAudit);
  $("#audit-dataset").addEventListener("change", () => datasetChosen().catch(flashError));
  for (const radio of $$("#audit-form input[name=source]")) radio.addEventListener("change", sourceChosen);
  $("#audit-fairness").addEventListener("change", fairnessToggled);
  $("#jobs-status").addEventListener("change", () => loadList("jobs").catch(flashError));
  $("#reports-verdict").addEventListener("change", () => loadList("reports").catch(flashError));
  $("#monitor-refresh").addEventListener("click", () => { if (state.monitor) openMonitor(state.monitor).catch(flashError); });
  for (const button of $$("[data-refresh]")) button.addEventListener("click", () => loadList(button.dataset.refresh).catch(flashError));
  for (const button of $$("[data-more]")) button.addEventListener("click", () => loadList(button.dataset.more, { more: true }).catch(flashError));
  window.addEventListener("hashchange", route);
  sourceChosen();
  route();
}

document.addEventListener("DOMContentLoaded", init);
