// A time-series chart on a canvas, for up to millions of points: each redraw
// draws one min–max segment per pixel column of the visible window, joined
// (found by binary search on the sorted times), so its cost depends on the
// canvas width, not on the number of readings. Zoom with the wheel or + −,
// pan by dragging or with the arrow keys, Home resets. The line breaks where
// readings are missing (a gap of more than ten times the usual interval,
// at least 15 minutes): a batch left out is not drawn as a straight line.
"use strict";

class SeriesChart {
  constructor(canvas, onView) {
    this.c = canvas; this.ctx = canvas.getContext("2d"); this.onView = onView || (() => {});
    this.t = new Float64Array(0); this.v = new Float64Array(0); this.band = null;
    const pad = { l: 56, r: 12, t: 12, b: 30 }; this.pad = pad;
    canvas.addEventListener("wheel", (e) => { e.preventDefault(); this.zoomAt(this.xToT(this.canvasX(e)), e.deltaY < 0 ? 0.8 : 1.25); }, { passive: false });
    let drag = null;
    canvas.addEventListener("pointerdown", (e) => { drag = { x: this.canvasX(e), t0: this.t0, t1: this.t1 }; canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener("pointermove", (e) => {
      if (!drag) return;
      const dt = (this.canvasX(e) - drag.x) / this.plotW() * (drag.t1 - drag.t0);
      this.setView(drag.t0 - dt, drag.t1 - dt);
    });
    canvas.addEventListener("pointerup", () => { drag = null; });
    canvas.addEventListener("keydown", (e) => {
      const span = this.t1 - this.t0, mid = (this.t0 + this.t1) / 2;
      const keys = { "+": () => this.zoomAt(mid, 0.8), "=": () => this.zoomAt(mid, 0.8), "-": () => this.zoomAt(mid, 1.25),
        ArrowLeft: () => this.setView(this.t0 - span / 10, this.t1 - span / 10), ArrowRight: () => this.setView(this.t0 + span / 10, this.t1 + span / 10),
        Home: () => this.reset() };
      if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
    });
  }
  canvasX(e) { const r = this.c.getBoundingClientRect(); return (e.clientX - r.left) * (this.c.width / r.width); }
  plotW() { return this.c.width - this.pad.l - this.pad.r; }
  xToT(x) { return this.t0 + (x - this.pad.l) / this.plotW() * (this.t1 - this.t0); }
  setData(times, values, band) {
    this.t = times; this.v = values; this.band = band;
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < values.length; i++) { const x = values[i]; if (x < lo) lo = x; if (x > hi) hi = x; }
    if (band) { lo = Math.min(lo, band[0]); hi = Math.max(hi, band[1]); }
    if (!isFinite(lo)) { lo = 0; hi = 1; }
    const m = (hi - lo) * 0.05 || 1; this.vlo = lo - m; this.vhi = hi + m;
    // The usual interval: the median of up to 2,001 sampled steps.
    const steps = [], n = times.length, stride = Math.max(1, Math.floor((n - 1) / 2000));
    for (let i = stride; i < n; i += stride) steps.push(times[i] - times[i - stride]);
    steps.sort((a, b) => a - b);
    const usual = steps.length ? steps[steps.length >> 1] / stride : 0;
    this.gap = Math.max(10 * usual, 15 * 60000);
    this.reset();
  }
  reset() { const n = this.t.length; this.setView(n ? this.t[0] : 0, n ? this.t[n - 1] + 1 : 1); }
  zoomAt(tc, f) { this.setView(tc - (tc - this.t0) * f, tc + (this.t1 - tc) * f); }
  setView(a, b) {
    const n = this.t.length, min = n ? this.t[0] : 0, max = n ? this.t[n - 1] + 1 : 1;
    let span = Math.max(b - a, 60000);
    span = Math.min(span, max - min || 1);
    a = Math.max(min, Math.min(a, max - span));
    this.t0 = a; this.t1 = a + span;
    if (!this.pending) { this.pending = true; requestAnimationFrame(() => { this.pending = false; this.draw(); }); }
  }
  lower(x) { let lo = 0, hi = this.t.length; while (lo < hi) { const m = (lo + hi) >> 1; if (this.t[m] < x) lo = m + 1; else hi = m; } return lo; }
  draw() {
    const drawStart = performance.now();
    const { ctx, c, pad } = this, W = this.plotW(), H = c.height - pad.t - pad.b;
    const y = (v) => pad.t + H - (v - this.vlo) / (this.vhi - this.vlo) * H;
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, c.width, c.height);
    if (this.band) { ctx.fillStyle = "#d8ecd8"; ctx.fillRect(pad.l, y(this.band[1]), W, y(this.band[0]) - y(this.band[1])); }
    ctx.strokeStyle = "#767676"; ctx.lineWidth = 1; ctx.strokeRect(pad.l, pad.t, W, H);
    ctx.fillStyle = "#111"; ctx.font = "12px system-ui, sans-serif"; ctx.textAlign = "right";
    for (let k = 0; k <= 4; k++) { const v = this.vlo + (this.vhi - this.vlo) * k / 4; ctx.fillText(v.toFixed(1), pad.l - 6, y(v) + 4); }
    ctx.textAlign = "center";
    for (let k = 0; k <= 4; k++) { const t = this.t0 + (this.t1 - this.t0) * k / 4; ctx.fillText(new Date(t).toISOString().slice(5, 16).replace("T", " "), pad.l + W * k / 4, c.height - 10); }
    const i0 = this.lower(this.t0), i1 = this.lower(this.t1);
    ctx.strokeStyle = "#0b4f8a"; ctx.beginPath();
    const per = (this.t1 - this.t0) / W;
    let i = i0, started = false, segments = 0;
    for (let px = 0; px < W && i < i1; px++) {
      const end = this.t0 + (px + 1) * per;
      if (this.t[i] >= end) continue;
      const x = pad.l + px + 0.5, first = this.v[i];
      const gapBefore = started && this.t[i] - this.t[i - 1] > this.gap;
      let lo = first, hi = first, last = first;
      i++;
      while (i < i1 && this.t[i] < end) { last = this.v[i++]; if (last < lo) lo = last; if (last > hi) hi = last; }
      if (!started || gapBefore) { ctx.moveTo(x, y(first)); started = true; segments++; } else ctx.lineTo(x, y(first));
      ctx.lineTo(x, y(hi)); ctx.lineTo(x, y(lo)); ctx.lineTo(x, y(last));
    }
    ctx.stroke();
    this.c.dataset.segments = String(segments);
    // The slowest redraw so far, for the browser test (docs/BENCHMARKS.md).
    this.slowestDrawMs = Math.max(this.slowestDrawMs || 0, performance.now() - drawStart);
    window.vaultnodeTimings && (window.vaultnodeTimings.slowestDrawMs = this.slowestDrawMs);
    this.onView(this.t0, this.t1, i1 - i0);
  }
}
window.SeriesChart = SeriesChart;
