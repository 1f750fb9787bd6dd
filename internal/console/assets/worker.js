// A worker of the clinician's view: its own instance of the WebAssembly
// fetch client, opened with the same sealed key file, reading a share of a
// stream's batches (docs/UI.md, "Speed"). The key is unsealed inside this
// worker's WebAssembly memory; only readings leave it. Once the key is open
// the worker warms its code on throwaway data (warmUp), so the first stream
// opened does not run in the browser's unoptimised tier.
"use strict";
importScripts("wasm_exec.js");
let wasm = null;
self.onmessage = async (e) => {
  const m = e.data;
  try {
    if (m.type === "init") {
      const ready = new Promise((resolve) => { self.vaultnodeWasmReady = () => resolve(self.vaultnodeWasm); });
      const go = new Go();
      go.run(await WebAssembly.instantiate(m.module, go.importObject));
      wasm = await ready;
      await wasm.openKey(m.keyFile, m.passphrase);
      m.keyFile.fill(0);
      await wasm.warmUp();
      self.postMessage({ id: m.id, ok: true });
    } else if (m.type === "fetch") {
      const r = await wasm.fetch(m.token, m.ticket, m.shard, m.shards);
      const res = { times: r.times, values: r.values, unit: r.unit, code: r.code, pending: r.pending, pendingReason: r.pendingReason,
        batches: Array.from(r.batches).map((b) => ({ cid: b.cid, readings: b.readings, status: b.status, reason: b.reason || "" })),
        fw: r.fw, firmwares: Array.from(r.firmwares).map((f) => ({ device: f.device, version: f.version, status: f.status, note: f.note })) };
      self.postMessage({ id: m.id, ok: true, res }, [r.times.buffer, r.values.buffer, r.fw.buffer]);
    }
  } catch (err) {
    self.postMessage({ id: m.id, ok: false, message: err.message, code: err.code || "" });
  }
};
