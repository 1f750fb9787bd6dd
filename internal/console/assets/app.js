// The console's page logic: sign in with an API token, one view per role,
// every call to this node's own API with that token (docs/UI.md). The
// clinician's key file is opened and used only inside the WebAssembly module
// (vaultnodeWasm); JavaScript never sees a secret key.
"use strict";

const $ = (s) => document.querySelector(s);
const state = { token: "", role: "", chart: null, data: null, wasm: null };
window.vaultnodeTimings = {};

// ---------- helpers ----------
function say(msg, kind) { const s = $("#status"); s.textContent = msg; s.className = kind || ""; }
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) { if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v); }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(k == null ? "" : String(k)));
  return e;
}
function fill(tbody, rows) { tbody.replaceChildren(...rows); }
function when(t) { return t ? new Date(t).toISOString().replace("T", " ").slice(0, 16) + " UTC" : ""; }
function short(h) { return h && h.length > 16 ? h.slice(0, 8) + "…" + h.slice(-6) : h; }

// What to do about an API error, by its code (docs/API.md).
const advice = {
  unauthenticated: "Your token is missing, unknown, expired or revoked: ask the hospital for a new one and sign in again.",
  forbidden: "Your token does not allow this; sign in with the token of the role that does.",
  access_refused: "Access is refused (the grant is revoked, expired or not for this key).",
  not_found: "Nothing by that name on this node.",
  bad_input: "Check what you entered.",
  chain_unavailable: "The consortium's chain does not answer; try again in a minute.",
  pending: "Recorded here; it reaches the chain when the chain answers.",
  integrity: "The data does not match its on-chain record: do not rely on it, and tell the hospital's operator.",
};
function explain(err) { const a = advice[err.code]; return err.message + (a ? " — " + a : ""); }

async function api(method, path, body) {
  const opts = { method, headers: { Accept: "application/json", Authorization: "Bearer " + state.token } };
  if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = typeof body === "string" ? body : JSON.stringify(body); }
  let r;
  try { r = await fetch(path, opts); } catch (e) { const x = new Error("this node does not answer: " + e.message); x.code = "unavailable"; throw x; }
  const text = await r.text();
  let j = null; try { j = text ? JSON.parse(text) : null; } catch (_) { /* not JSON */ }
  if (!r.ok) {
    const x = new Error((j && j.error) || (r.status + " " + r.statusText)); x.code = (j && j.code) || ""; x.status = r.status; throw x;
  }
  return { status: r.status, body: j, text };
}

// confirmAction shows the confirmation dialog; extra is an element with
// inputs read by the caller. Resolves true when confirmed.
function confirmAction(text, extra) {
  const d = $("#confirm");
  $("#confirm-text").textContent = text;
  $("#confirm-extra").replaceChildren(...(extra ? [extra] : []));
  return new Promise((resolve) => {
    d.addEventListener("close", () => resolve(d.returnValue === "ok"), { once: true });
    d.showModal();
    (extra && extra.querySelector("input,select,textarea") || $("#confirm-ok")).focus();
  });
}
function download(name, type, text) {
  const a = el("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a); a.click(); a.remove();
}

// ---------- sign in, views ----------
const views = ["clinician", "patient", "dpo", "operator"];
const roleViews = { clinician: ["clinician"], patient: ["patient"], dpo: ["dpo"], operator: ["operator", "clinician"], device: [] };
function show(view) {
  for (const v of views) $("#view-" + v).hidden = v !== view;
  for (const b of document.querySelectorAll("#tabs [data-view]")) {
    if (b.dataset.view === view) b.setAttribute("aria-current", "page"); else b.removeAttribute("aria-current");
  }
  say("");
  ({ clinician: loadClinician, patient: loadPatient, dpo: loadDPO, operator: loadOperator })[view]();
}
$("#signin-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  state.token = $("#token").value.trim(); $("#token").value = "";
  try {
    const me = (await api("GET", "/v1/whoami")).body;
    state.role = me.role;
    const allowed = roleViews[me.role] || [];
    if (!allowed.length) { say("A " + me.role + " token has no view in the console.", "error"); return; }
    $("#who").textContent = "Signed in as " + me.name + " (" + me.role + (me.patient ? ", patient " + me.patient : "") + ")";
    $("#signin").hidden = true; $("#tabs").hidden = false;
    for (const b of document.querySelectorAll("#tabs [data-view]")) b.hidden = !allowed.includes(b.dataset.view);
    show(allowed[0]);
  } catch (err) { state.token = ""; say("Sign-in refused: " + explain(err), "error"); }
});
for (const b of document.querySelectorAll("#tabs [data-view]")) b.addEventListener("click", () => show(b.dataset.view));
$("#signout").addEventListener("click", () => {
  state.token = ""; state.role = ""; if (state.wasm) state.wasm.forgetKey();
  for (const w of state.workers) w.terminate();
  location.reload();
});

// ---------- clinician ----------
function loadWasm() {
  if (state.wasmLoading) return state.wasmLoading;
  state.wasmLoading = (async () => {
    try {
      // Compiled once: the page's instance and every worker instantiate it.
      state.module = await WebAssembly.compileStreaming(fetch("vaultnode.wasm"));
      const ready = new Promise((resolve) => { window.vaultnodeWasmReady = () => resolve(window.vaultnodeWasm); });
      const go = new Go();
      go.run(await WebAssembly.instantiate(state.module, go.importObject));
      state.wasm = await ready;
      return state.wasm;
    } catch (e) {
      throw new Error("the console's WebAssembly client did not load (" + e.message + "); the daemon's binary may have been built without it (make build)");
    }
  })();
  return state.wasmLoading;
}

// ask sends a worker one message and settles with its answer.
function ask(w, msg, transfer) {
  return new Promise((resolve, reject) => {
    const id = ++state.msgs;
    const onMsg = (e) => {
      if (e.data.id !== id) return;
      w.removeEventListener("message", onMsg); w.removeEventListener("error", onErr);
      if (e.data.ok) resolve(e.data.res); else { const x = new Error(e.data.message); x.code = e.data.code; reject(x); }
    };
    const onErr = (e) => { w.removeEventListener("message", onMsg); w.removeEventListener("error", onErr); reject(new Error("worker: " + (e.message || "failed"))); };
    w.addEventListener("message", onMsg); w.addEventListener("error", onErr);
    w.postMessage(Object.assign({ id }, msg), transfer || []);
  });
}
state.msgs = 0; state.workers = [];

// startWorkers opens the key in one worker per core (at most 4), each its
// own WebAssembly instance: a stream's batches are then read in parallel.
// Without workers the page's own instance reads them all.
async function startWorkers(bytes, pass) {
  for (const w of state.workers) w.terminate();
  state.workers = [];
  const k = Math.min(4, Math.max(2, navigator.hardwareConcurrency || 2));
  const ws = Array.from({ length: k }, () => new Worker("worker.js"));
  try {
    await Promise.all(ws.map((w) => ask(w, { type: "init", module: state.module, keyFile: bytes.slice(), passphrase: pass })));
    state.workers = ws;
  } catch (err) {
    for (const w of ws) w.terminate();
    console.warn("workers unavailable, reading batches in the page:", err.message);
    await state.wasm.warmUp().catch(() => {});
  }
}

// mergeByTime merges the shards' readings (each in time order) into one
// series in time order, with each reading's firmware label (fw: 0 none,
// else 1 + its index in firmwares; each shard's own table is renumbered
// into one); readings out of order fall back to a sort.
function mergeByTime(parts) {
  const n = parts.reduce((a, p) => a + p.times.length, 0);
  const times = new Float64Array(n), values = new Float64Array(n), fw = new Uint16Array(n), at = parts.map(() => 0);
  const firmwares = [], seen = new Map();
  const remap = parts.map((p) => [0, ...p.firmwares.map((f) => {
    const key = f.device + "\u0000" + f.version + "\u0000" + f.status;
    if (!seen.has(key)) { firmwares.push(f); seen.set(key, firmwares.length); }
    return seen.get(key);
  })]);
  for (let o = 0; o < n; o++) {
    let best = -1;
    for (let k = 0; k < parts.length; k++) if (at[k] < parts[k].times.length && (best < 0 || parts[k].times[at[k]] < parts[best].times[at[best]])) best = k;
    times[o] = parts[best].times[at[best]]; values[o] = parts[best].values[at[best]]; fw[o] = remap[best][parts[best].fw[at[best]]]; at[best]++;
  }
  for (let i = 1; i < n; i++) {
    if (times[i] < times[i - 1]) {
      const idx = Array.from({ length: n }, (_, j) => j).sort((a, b) => times[a] - times[b]);
      return { times: Float64Array.from(idx, (j) => times[j]), values: Float64Array.from(idx, (j) => values[j]), fw: Uint16Array.from(idx, (j) => fw[j]), firmwares };
    }
  }
  return { times, values, fw, firmwares };
}

async function fetchReadings(t) {
  if (state.workers.length < 2) return state.wasm.fetch(state.token, t.ticket);
  const k = state.workers.length;
  const parts = await Promise.all(state.workers.map((w, i) => ask(w, { type: "fetch", token: state.token, ticket: t.ticket, shard: i, shards: k })));
  const merged = mergeByTime(parts);
  const first = parts.find((p) => p.times.length) || parts[0];
  return { times: merged.times, values: merged.values, fw: merged.fw, firmwares: merged.firmwares, unit: first.unit, code: first.code, batches: parts.flatMap((p) => p.batches),
    pending: Math.max(...parts.map((p) => p.pending)), pendingReason: parts.map((p) => p.pendingReason).find((r) => r) || "" };
}

function loadClinician() { loadWasm().catch((e) => say(e.message, "error")); }

$("#key-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = $("#keyfile").files[0]; if (!f) return;
  const bytes = new Uint8Array(await f.arrayBuffer());
  const pass = $("#passphrase").value; $("#passphrase").value = "";
  say("Opening your key…");
  try {
    const w = await loadWasm();
    const t0 = performance.now();
    const pub = await w.openKey(bytes.slice(), pass);
    await startWorkers(bytes, pass);
    bytes.fill(0);
    window.vaultnodeTimings.openKeyMs = performance.now() - t0;
    $("#keyinfo").textContent = "Key open in this browser. Public key " + short(pub) + ".";
    $("#keyfile").value = "";
    await listGrants();
    say("Key opened. Choose a stream to see its readings.", "done");
  } catch (err) { say("Could not open the key: " + explain(err), "error"); }
});

async function listGrants() {
  const ts = JSON.parse(await state.wasm.tickets(state.token));
  const tb = $("#grants-table tbody");
  fill(tb, ts.map((t) => el("tr", { "data-grant": t.grant },
    el("td", {}, t.patient), el("td", {}, t.stream), el("td", {}, when(t.notAfter)),
    el("td", { class: t.state === "live" ? "ok" : "bad" }, t.state),
    el("td", {}, el("button", { type: "button", onclick: () => showStream(t) }, "Show " + t.stream + " of " + t.patient)))));
  $("#grants-table").hidden = false;
  if (!ts.length) say("This node holds no grant for your key.", "error");
  if (!$("#grants-refresh")) $("#grants-table").after(el("button", { type: "button", id: "grants-refresh", onclick: () => listGrants().catch((e) => say(explain(e), "error")) }, "Refresh grants"));
}

// Reference ranges shaded on the chart, by stream.
function bandOf(stream, unit) {
  if (stream === "glucose") return unit === "mg/dL" ? [70, 180] : [3.9, 10.0];
  return { spo2: [94, 100], "heart-rate": [60, 100], temperature: [36.1, 37.2] }[stream] || null;
}

async function showStream(t) {
  say("Fetching, decrypting and verifying " + t.stream + " of " + t.patient + "…");
  const t0 = performance.now();
  try {
    const res = await fetchReadings(t);
    const fetched = performance.now();
    state.data = { t, res };
    $("#chart-panel").hidden = false;
    $("#chart-title").textContent = t.stream + " of " + t.patient + " (" + res.times.length + " readings, " + res.unit + ")";
    if (!state.chart) state.chart = new SeriesChart($("#chart"), (a, b, n) => { $("#chart-range").textContent = "Showing " + when(a) + " – " + when(b) + ": " + n + " readings."; });
    state.chart.setData(res.times, res.values, bandOf(t.stream, res.unit));
    renderStats(t.stream, res);
    const fwWarnings = renderFirmware(res);
    const statusText = { verified: "verified against the chain", missing: "missing: no member served its blocks", tampered: "tampered: does not match the chain" };
    const bad = Array.from(res.batches).filter((b) => b.status !== "verified");
    fill($("#batches-table tbody"), Array.from(res.batches).map((b) => el("tr", { "data-status": b.status }, el("td", { class: "mono" }, b.cid), el("td", {}, b.readings),
      el("td", { class: b.status === "verified" ? "ok" : "bad", title: b.reason || "" }, statusText[b.status] || b.status))));
    if (res.pending > 0) $("#batches-table tbody").append(el("tr", {}, el("td", {}, "not yet on chain"), el("td", {}, res.pending + " batch(es)"), el("td", { class: "warn" }, "missing: " + res.pendingReason)));
    requestAnimationFrame(() => {
      const total = performance.now() - t0;
      window.vaultnodeTimings.fetchMs = fetched - t0; window.vaultnodeTimings.chartMs = total; window.vaultnodeTimings.readings = res.times.length;
      $("#chart").dataset.rendered = String(res.times.length);
      if (fwWarnings) say(fwWarnings + " Read these readings with that in mind (see the warning above the chart).", "error");
      else if (bad.length) say(bad.length + " batch(es) could not be verified and are left out of the chart (see the table below): tell the hospital's operator. " + res.times.length + " verified readings shown.", "error");
      else say("Decrypted and verified " + res.times.length + " readings in " + Math.round(fetched - t0) + " ms; on screen in " + Math.round(total) + " ms.", "done");
    });
  } catch (err) {
    $("#chart-panel").hidden = true;
    say("Cannot show " + t.stream + " of " + t.patient + ": " + explain(err), "error");
  }
}

// renderFirmware shows, above the chart, every firmware the readings came
// from that is not an approved release (recalled, unapproved, quarantined…),
// with how many readings each; it returns the summary ("" when none).
function renderFirmware(res) {
  const counts = new Array(res.firmwares.length + 1).fill(0);
  for (let i = 0; i < res.fw.length; i++) counts[res.fw[i]]++;
  const lines = [];
  res.firmwares.forEach((f, i) => {
    if (f.status === "approved" || !counts[i + 1]) return;
    lines.push(counts[i + 1] + " reading(s) from " + f.device + (f.version ? " under firmware " + f.version : "") + ": " + f.note + ".");
  });
  const box = $("#firmware-warnings");
  box.hidden = !lines.length;
  box.replaceChildren(...lines.map((l) => el("p", { class: "bad" }, l)));
  return lines.join(" ");
}

// The figures of an AGP report for glucose (mg/dL internally), plain
// statistics otherwise.
function renderStats(stream, res) {
  const v = res.values, n = v.length;
  let sum = 0, lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) { sum += v[i]; if (v[i] < lo) lo = v[i]; if (v[i] > hi) hi = v[i]; }
  const mean = n ? sum / n : NaN;
  let ss = 0; for (let i = 0; i < n; i++) ss += (v[i] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const rows = [["Readings", n, "count"], ["Mean", mean.toFixed(2) + " " + res.unit, "mean"], ["Minimum", lo.toFixed(2), "min"], ["Maximum", hi.toFixed(2), "max"], ["SD", sd.toFixed(2), "sd"]];
  if (stream === "glucose" && n) {
    const band = bandOf(stream, res.unit);
    let below = 0, above = 0; for (let i = 0; i < n; i++) { if (v[i] < band[0]) below++; else if (v[i] > band[1]) above++; }
    const mgdl = res.unit === "mg/dL" ? mean : mean * 18.0156;
    const pct = (k) => (100 * k / n).toFixed(1) + " %";
    rows.push(["Time in range (" + band[0] + "–" + band[1] + ")", pct(n - below - above), "tir"], ["Below range", pct(below), "below"], ["Above range", pct(above), "above"],
      ["GMI", (3.31 + 0.02392 * mgdl).toFixed(1) + " %", "gmi"], ["CV", (100 * sd / mean).toFixed(1) + " %", "cv"]);
  }
  $("#stats").replaceChildren(...rows.flatMap(([k, val, id]) => [el("dt", {}, k), el("dd", { id: "stat-" + id }, val)]));
}

function readingsOf() {
  const { t, res } = state.data, out = [];
  for (let i = 0; i < res.times.length; i++) {
    const r = { time: new Date(res.times[i]).toISOString(), value: res.values[i], unit: res.unit, code: res.code };
    const f = res.fw[i] ? res.firmwares[res.fw[i] - 1] : null;
    if (f) { r.device = f.device; r.firmware = { status: f.status }; if (f.version) r.firmware.version = f.version; }
    out.push(r);
  }
  return { t, out };
}
$("#reset-zoom").addEventListener("click", () => state.chart && state.chart.reset());
$("#export-jsonl").addEventListener("click", () => { const { t, out } = readingsOf(); download(t.stream + ".jsonl", "application/x-ndjson", out.map((r) => JSON.stringify(r)).join("\n") + "\n"); });
$("#export-csv").addEventListener("click", () => { const { t, out } = readingsOf(); download(t.stream + ".csv", "text/csv", "time,value,unit,code,device,firmware_version,firmware_status\n" +
  out.map((r) => [r.time, r.value, r.unit, r.code, r.device || "", r.firmware ? r.firmware.version || "" : "", r.firmware ? r.firmware.status : ""].join(",")).join("\n") + "\n"); });
$("#export-fhir").addEventListener("click", () => { const { t, out } = readingsOf(); download(t.stream + ".fhir.json", "application/fhir+json", JSON.stringify(fhirBundle(t, out))); });

// fhirBundle is a FHIR R4 Bundle (collection) of one Observation a reading:
// the code as its coding ("loinc:15074-8" → LOINC), the value as a UCUM
// quantity, the patient as the grant names them. The browser test
// validates it against HL7's R4 schema.
function fhirBundle(t, out) {
  const notes = new Map(state.data.res.firmwares.map((f) => [f.device + "\u0000" + (f.version || "") + "\u0000" + f.status, f.note]));
  const firmwareNote = (r) => notes.get(r.device + "\u0000" + (r.firmware.version || "") + "\u0000" + r.firmware.status) || r.firmware.status;
  const coding = (c) => { const i = c.indexOf(":"); const sys = i < 0 ? "" : c.slice(0, i), code = i < 0 ? c : c.slice(i + 1);
    const system = { loinc: "http://loinc.org", mdc: "urn:iso:std:iso:11073:10101", snomed: "http://snomed.info/sct" }[sys] || (sys.includes("/") || sys.startsWith("urn:") ? sys : "");
    return system ? { system, code } : { code }; };
  const observation = (r) => {
    const o = { resourceType: "Observation", status: "final", subject: { display: t.patient }, effectiveDateTime: r.time,
      valueQuantity: { value: r.value, unit: r.unit, system: "http://unitsofmeasure.org", code: r.unit } };
    o.code = r.code ? { coding: [coding(r.code)] } : { text: t.stream };
    if (!r.unit) delete o.valueQuantity.system, delete o.valueQuantity.code, delete o.valueQuantity.unit;
    if (r.firmware) {
      // As the node's own FHIR export: a contained Device whose version is the firmware, the flag as its note.
      const d = { resourceType: "Device", id: "device", identifier: [{ system: "urn:vaultnode:device", value: r.device }],
        note: [{ text: "firmware status " + r.firmware.status + ": " + firmwareNote(r) }] };
      if (r.firmware.version) d.version = [{ type: { text: "firmware" }, value: r.firmware.version }];
      o.contained = [d];
      o.device = { reference: "#device", display: r.device + ", firmware " + (r.firmware.version ? r.firmware.version + " (" + r.firmware.status + ")" : r.firmware.status) };
    }
    return o;
  };
  return { resourceType: "Bundle", type: "collection", entry: out.map((r) => ({ fullUrl: "urn:uuid:" + crypto.randomUUID(), resource: observation(r) })) };
}

// ---------- patient ----------
async function loadPatient() {
  try {
    const me = (await api("GET", "/v1/me")).body;
    const p = me.patient;
    $("#pat-overview").replaceChildren(
      el("p", {}, "Patient " + (p.mrn || p.pseudonym) + ". Streams: " + (p.streams.join(", ") || "none") + "."),
      el("p", {}, me.devices.length ? "Implanted devices: " + me.devices.map((d) => d.device + " (" + d.udi + ", implanted " + when(d.implanted) + (d.explanted ? ", explanted " + when(d.explanted) : "") + ")").join("; ") : "No implanted device recorded."));
    $("#grant-stream").replaceChildren(...p.streams.map((s) => el("option", { value: s }, s)));
    fill($("#pat-grants tbody"), me.grants.map((g) => el("tr", { "data-grant": g.id },
      el("td", {}, g.stream), el("td", { class: "mono" }, short(g.granteeKeyHash)), el("td", {}, when(g.notAfter)),
      el("td", {}, g.threshold + " of " + g.proxies), el("td", { class: g.state === "live" ? "ok" : "bad" }, g.state),
      el("td", {}, g.state === "live" ? el("button", { type: "button", class: "danger", onclick: () => revoke(g) }, "Revoke") : ""))));
    $("#pat-requests").textContent = me.erasureRequests.length ? "Your erasure request " + me.erasureRequests[0].id + " (" + when(me.erasureRequests[0].requested) + ") is waiting for the data-protection officer." : "";
    const acc = ((await api("GET", "/v1/me/access")).body || {}).disclosures || [];
    fill($("#pat-access tbody"), acc.map((d) => el("tr", {}, el("td", {}, when(d.date)), el("td", { class: "mono" }, d.recipientName || short(d.recipient)), el("td", {}, d.purpose),
      el("td", {}, d.description), el("td", { class: d.proof ? "ok" : "warn" }, d.proof ? "proven on chain" : "not anchored yet"))));
  } catch (err) { say("Cannot load your data: " + explain(err), "error"); }
}
async function revoke(g) {
  if (!await confirmAction("Revoke the access of clinician key " + short(g.granteeKeyHash) + " to your " + g.stream + " readings? Every hospital's proxy stops serving it at once.")) return;
  try { const r = (await api("DELETE", "/v1/me/grants/" + g.id)).body; say(r.pending ? "Revocation recorded; it reaches the chain when the chain answers." : "Access revoked (on chain, block " + r.block + ").", "done"); loadPatient(); }
  catch (err) { say("Revocation failed: " + explain(err), "error"); }
}
$("#grant-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const stream = $("#grant-stream").value, key = $("#grant-key").value.trim(), until = $("#grant-until").value;
  if (!/^[0-9a-fA-F]+$/.test(key)) { say("The clinician's public key is hex digits (the one line of their .pub file).", "error"); return; }
  if (!await confirmAction("Give clinician key " + short(key) + " access to your " + stream + " readings until " + until + "?")) return;
  try {
    const r = (await api("POST", "/v1/me/grants", { stream, grantee: key, notAfter: new Date(until + "T23:59:59Z").toISOString() })).body;
    say("Access granted: grant " + short(r.id) + ", " + r.threshold + " of " + r.proxies.length + " hospitals' proxies must agree to serve it.", "done");
    $("#grant-key").value = ""; loadPatient();
  } catch (err) { say("Grant failed: " + explain(err), "error"); }
});
$("#erasure-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  if (!await confirmAction("Ask the hospital to erase all your readings? The data-protection officer decides; once erased, nobody can read them again, you included.")) return;
  try { const r = (await api("POST", "/v1/me/erasure-requests", { note: $("#erasure-note").value })).body; say("Erasure request " + r.id + " sent to the data-protection officer.", "done"); loadPatient(); }
  catch (err) { say("Request failed: " + explain(err), "error"); }
});

// ---------- DPO ----------
async function loadDPO() {
  try {
    const rs = (await api("GET", "/v1/erasures/requests")).body;
    fill($("#dpo-queue tbody"), rs.map((q) => el("tr", { "data-request": q.id }, el("td", { class: "mono" }, q.id), el("td", {}, q.patient || "—"), el("td", {}, when(q.requested)),
      el("td", {}, q.note || ""), el("td", {}, q.state + (q.reference ? " (" + short(q.reference) + ")" : "")),
      el("td", {}, q.state === "open" ? el("span", { class: "row" },
        el("button", { type: "button", class: "danger", onclick: () => erase(q) }, "Erase"),
        el("button", { type: "button", onclick: () => refuse(q) }, "Refuse")) : ""))));
  } catch (err) { say("Cannot load the queue: " + explain(err), "error"); }
}
async function erase(q) {
  const extra = el("div", {}, el("label", { for: "erase-reason" }, "Reason recorded with the erasure"), el("input", { id: "erase-reason", value: "GDPR Art. 17 request " + q.id }));
  if (!await confirmAction("Erase every reading of patient " + q.patient + "? Their keys are destroyed on every hospital; this cannot be undone.", extra)) return;
  say("Erasing: destroying keys, ordering the purge on every member, recording on chain…");
  try {
    const r = await api("POST", "/v1/erasures", { patient: q.patient, requestRef: q.id, reason: extra.querySelector("input").value });
    const cert = r.text;
    await checkCertificate(cert, $("#dpo-result"));
    say("Patient erased. Certificate below.", "done");
    loadDPO();
  } catch (err) { say("Erasure failed: " + explain(err), "error"); }
}
async function refuse(q) {
  const extra = el("div", {},
    el("label", { for: "refuse-ground" }, "Art. 17(3) ground"),
    el("select", { id: "refuse-ground" }, ...["legal-obligation", "public-health", "archiving-research", "legal-claims"].map((g) => el("option", { value: g }, g))),
    el("label", { for: "refuse-reason" }, "Explanation for the patient"), el("input", { id: "refuse-reason", required: "" }));
  if (!await confirmAction("Refuse the erasure request " + q.id + " of patient " + q.patient + "? The refusal and its ground are recorded on chain.", extra)) return;
  try {
    const r = await api("POST", "/v1/erasures/refusals", { patient: q.patient, requestRef: q.id, ground: extra.querySelector("select").value, reason: extra.querySelector("input").value });
    $("#dpo-result").replaceChildren(el("p", { class: "done" }, "Refusal recorded on chain."), el("button", { type: "button", onclick: () => download("refusal-" + q.id + ".json", "application/json", r.text) }, "Download the refusal"));
    loadDPO();
  } catch (err) { say("Refusal failed: " + explain(err), "error"); }
}
async function checkCertificate(cert, where) {
  const v = (await api("POST", "/v1/erasures/verify", cert)).body;
  const complete = v.valid && v.status === "valid";
  where.replaceChildren(
    el("p", { class: complete ? "ok" : "warn", id: "cert-status", "data-erasure": v.erasureId }, complete ? "Certificate verified: complete — every member acknowledged the purge (" + v.acks + " of " + v.members.length + ")." :
      "Certificate holds but is incomplete: waiting for " + (v.missing || []).length + " member(s): " + (v.missing || []).map(short).join(", ") + "."),
    el("p", {}, "Erasure " + short(v.erasureId) + ", " + v.keysDestroyed + " key(s) destroyed, recorded in block " + v.block + "."),
    el("div", { class: "row" },
      el("button", { type: "button", onclick: () => download("erasure-" + v.erasureId + ".json", "application/json", cert) }, "Download the certificate"),
      complete ? "" : el("button", { type: "button", id: "cert-again", onclick: () => refreshCertificate(v.erasureId, where).catch((e) => say(explain(e), "error")) }, "Fetch the latest certificate and verify again")));
}
// The custodian re-issues a certificate as late members acknowledge the
// purge: fetch the current one and verify it.
async function refreshCertificate(id, where) {
  const r = await api("GET", "/v1/erasures/" + id);
  await checkCertificate(r.text, where);
}
$("#cert-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  try { await checkCertificate(await $("#cert-file").files[0].text(), $("#cert-result")); }
  catch (err) { $("#cert-result").replaceChildren(el("p", { class: "bad" }, "The certificate does not hold: " + explain(err))); }
});
$("#disc-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  try {
    const r = (await api("GET", "/v1/audit/disclosures?patient=" + encodeURIComponent($("#disc-patient").value))).body;
    const ds = r.disclosures || [];
    fill($("#disc-table tbody"), ds.map((d) => el("tr", {}, el("td", {}, when(d.date)), el("td", { class: "mono" }, d.recipientName || short(d.recipient)), el("td", {}, d.purpose),
      el("td", { class: d.proof ? "ok" : "warn" }, d.description + (d.proof ? " (proven on chain)" : "")))));
    $("#disc-table").hidden = false;
    say(ds.length + " disclosure(s).", "done");
  } catch (err) { say("Cannot show the disclosures: " + explain(err), "error"); }
});

// ---------- operator ----------
async function loadOperator() {
  try {
    const h = (await api("GET", "/healthz")).body;
    $("#op-health").replaceChildren(el("p", { class: h.status === "ok" ? "ok" : "warn", id: "op-status" }, "Node " + h.status + (h.reasons ? ": " + h.reasons.join("; ") : "")),
      el("p", {}, "Peers connected: " + h.peers + ". Chain " + (h.chainReachable ? "reachable, head " + h.chainHead : "unreachable") +
        ". Pending commitments " + h.pendingCommitments + ", batches under-replicated " + h.batchesUnderReplicated + "."));
    const unreachable = new Set(h.unreachableMembers || []);
    const ms = (await api("GET", "/v1/members")).body;
    fill($("#op-members tbody"), ms.map((m) => el("tr", {}, el("td", { class: "mono" }, m.account), el("td", { class: "mono" }, short(m.peerId)),
      el("td", { class: m.peerId === h.peerId ? "" : unreachable.has(m.peerId) ? "bad" : "ok" }, m.peerId === h.peerId ? "this node" : unreachable.has(m.peerId) ? "unreachable" : "reachable"))));
    const text = await (await fetch("/metrics")).text();
    const pick = ["vaultnode_readings_ingested_total", "vaultnode_batches_ingested_total", "vaultnode_reencrypt_requests_total", "vaultnode_erasures_total", "vaultnode_api_auth_failures_total"];
    const rows = [];
    for (const name of pick) {
      let sum = 0, seen = false;
      for (const line of text.split("\n")) if (line.startsWith(name) && !line.startsWith("#")) { sum += parseFloat(line.split(" ").pop()); seen = true; }
      if (seen) rows.push(el("dt", {}, name.replace("vaultnode_", "").replaceAll("_", " ")), el("dd", {}, String(sum)));
    }
    $("#op-metrics").replaceChildren(...rows);
  } catch (err) { say("Cannot load the node's status: " + explain(err), "error"); }
}
$("#op-refresh").addEventListener("click", loadOperator);
