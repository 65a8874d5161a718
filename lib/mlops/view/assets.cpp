#include "mlops/view/assets.hpp"

namespace mlops::view {

std::string_view page_css() {
  return R"CSS(:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#59636e;--line:#d1d9e0;--head:#f6f8fa;--accent:#0969da;--bad:#cf222e;--good:#1a7f37;--mark:#fff8c5;
--s0:#4e79a7;--s1:#f28e2b;--s2:#e15759;--s3:#76b7b2;--s4:#59a14f;--s5:#edc948;--s6:#b07aa1;--s7:#ff9da7;--s8:#9c755f;--s9:#8c8c8c}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#3d444d;--head:#151b23;--accent:#4493f8;--bad:#f85149;--good:#3fb950;--mark:#3b2e00;
--s0:#7aa6d6;--s1:#f5a55a;--s2:#ff7b7d;--s3:#8fd1cb;--s4:#7cc46f;--s5:#f3d66b;--s6:#cf9dc2;--s7:#ffb3bb;--s8:#c49a7e;--s9:#b0b0b0}}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1600px;padding:1em 1.5em}
h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:1px solid var(--line);padding-bottom:.2em;margin-top:2em}h3{font-size:1.05em;margin-top:1.5em}
a{color:var(--accent)}:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:1em;top:1em;background:var(--bg);padding:.3em}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3em 1.2em}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:13px}th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:var(--head)}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.differs{background:var(--mark)}
.wrap{overflow-x:auto}td code,td.num,.nowrap{white-space:nowrap}.error{color:var(--bad);border-left:3px solid var(--bad);padding-left:.5em}code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
pre{overflow:auto;max-height:30em;background:var(--head);border:1px solid var(--line);padding:.5em;white-space:pre-wrap;word-break:break-all}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.status-finished{color:var(--good)}.status-failed,.status-killed{color:var(--bad)}.muted{color:var(--muted)}
figure{margin:1em 0 1.5em;position:relative}figcaption{font-weight:600;margin-bottom:.3em}
.chart{width:100%;max-width:960px;height:auto;display:block;overflow:visible}
.chart text{fill:var(--muted);font-size:10px}.chart .label{fill:var(--fg);font-size:11px}
.chart .axis line{stroke:var(--line)}.chart .grid{stroke:var(--line);stroke-dasharray:2 3}.chart .cursor{stroke:var(--muted)}
.chart .line{fill:none;stroke-width:1.6;stroke-linejoin:round}.line.d1{stroke-dasharray:6 3}.line.d2{stroke-dasharray:1.5 2.5}.line.d3{stroke-dasharray:8 3 2 3}.dash{margin-right:.3em;letter-spacing:-1px}
.line.s0{stroke:var(--s0)}.line.s1{stroke:var(--s1)}.line.s2{stroke:var(--s2)}.line.s3{stroke:var(--s3)}.line.s4{stroke:var(--s4)}
.line.s5{stroke:var(--s5)}.line.s6{stroke:var(--s6)}.line.s7{stroke:var(--s7)}.line.s8{stroke:var(--s8)}.line.s9{stroke:var(--s9)}
.s0.dot,.s0.bar,.s0.swatch{fill:var(--s0);background:var(--s0)}.s1.dot,.s1.bar,.s1.swatch{fill:var(--s1);background:var(--s1)}
.s2.dot,.s2.bar,.s2.swatch{fill:var(--s2);background:var(--s2)}.s3.dot,.s3.bar,.s3.swatch{fill:var(--s3);background:var(--s3)}
.s4.dot,.s4.bar,.s4.swatch{fill:var(--s4);background:var(--s4)}.s5.dot,.s5.bar,.s5.swatch{fill:var(--s5);background:var(--s5)}
.s6.dot,.s6.bar,.s6.swatch{fill:var(--s6);background:var(--s6)}.s7.dot,.s7.bar,.s7.swatch{fill:var(--s7);background:var(--s7)}
.s8.dot,.s8.bar,.s8.swatch{fill:var(--s8);background:var(--s8)}.s9.dot,.s9.bar,.s9.swatch{fill:var(--s9);background:var(--s9)}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.35em;vertical-align:-.05em}
.legend{list-style:none;padding:0;margin:.2em 0;display:flex;flex-wrap:wrap;gap:.2em 1em;font-size:13px}
.controls{display:flex;flex-wrap:wrap;gap:.4em 1.2em;font-size:13px;margin:.3em 0}
.tip{font-size:12px;min-height:1.4em;color:var(--muted);font-variant-numeric:tabular-nums}
details>summary{cursor:pointer;color:var(--muted)}
th button{all:unset;cursor:pointer}th button:focus-visible{outline:2px solid var(--accent)}
)CSS";
}

std::string_view page_script() {
  return R"JS((function () {
"use strict";
var source = document.getElementById("mlops-data");
if (!source) return;
var data = JSON.parse(source.textContent);
var NS = "http://www.w3.org/2000/svg";
var W = 640, H = 260, L = 64, R = 16, T = 12, B = 40, PW = W - L - R, PH = H - T - B;

function num(v) {
  if (v !== v) return "nan";
  if (!isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (v === 0) return "0";
  var a = Math.abs(v);
  if (a < 1e-4 || a >= 1e6) return v.toExponential(3).replace(/\.?0+e/, "e");
  return String(+v.toPrecision(4));
}
function ticks(lo, hi, n) {
  if (!isFinite(lo) || !isFinite(hi)) return [];
  if (hi === lo) return [lo];
  var raw = (hi - lo) / n, mag = Math.pow(10, Math.floor(Math.log10(raw))), step = mag;
  var f = [1, 2, 5, 10];
  for (var i = 0; i < f.length; i++) { step = f[i] * mag; if (raw <= step) break; }
  var out = [], first = Math.floor(lo / step) * step;
  for (var k = 0; k < 100; k++) {
    var t = first + k * step;
    if (Math.abs(t) < step * 1e-9) t = 0;
    out.push(t);
    if (t >= hi - step * 1e-9) break;
  }
  return out;
}
// TensorBoard's smoothing: an exponential moving average, debiased for its first points.
function smooth(ys, w) {
  if (!(w > 0)) return ys.slice();
  var last = 0, n = 0, out = [];
  for (var i = 0; i < ys.length; i++) {
    var y = ys[i];
    if (!isFinite(y)) { out.push(y); continue; }
    last = last * w + (1 - w) * y;
    n++;
    out.push(last / (1 - Math.pow(w, n)));
  }
  return out;
}
function el(name, attrs, text) {
  var e = document.createElementNS(NS, name);
  for (var k in attrs) e.setAttribute(k, attrs[k]);
  if (text != null) e.textContent = text;
  return e;
}
function control(label, input) {
  var wrap = document.createElement("label");
  wrap.appendChild(document.createTextNode(label + " "));
  wrap.appendChild(input);
  return wrap;
}

function Curve(chart) {
  this.chart = chart;
  this.svg = document.getElementById(chart.id);
  this.state = { x: "step", smooth: 0, log: false, cursor: -1 };
  if (!this.svg) return;
  var self = this, figure = this.svg.parentNode;
  var controls = document.createElement("div");
  controls.className = "controls";
  var axis = document.createElement("select");
  [["step", "step"], ["time", "time (s)"]].forEach(function (o) {
    var opt = document.createElement("option"); opt.value = o[0]; opt.textContent = o[1]; axis.appendChild(opt);
  });
  axis.addEventListener("change", function () { self.state.x = axis.value; self.draw(); });
  var slider = document.createElement("input");
  slider.type = "range"; slider.min = "0"; slider.max = "0.99"; slider.step = "0.01"; slider.value = "0";
  var shown = document.createElement("output"); shown.textContent = "0";
  slider.addEventListener("input", function () { self.state.smooth = +slider.value; shown.textContent = slider.value; self.draw(); });
  var log = document.createElement("input"); log.type = "checkbox";
  log.addEventListener("change", function () { self.state.log = log.checked; self.draw(); });
  controls.appendChild(control("x axis", axis));
  var smoothing = control("smoothing", slider); smoothing.appendChild(shown);
  controls.appendChild(smoothing);
  controls.appendChild(control("log scale", log));
  figure.insertBefore(controls, this.svg);
  this.tip = document.createElement("div");
  this.tip.className = "tip"; this.tip.setAttribute("role", "status"); this.tip.setAttribute("aria-live", "polite");
  figure.insertBefore(this.tip, this.svg.nextSibling);
  this.svg.setAttribute("tabindex", "0");
  this.svg.setAttribute("focusable", "true");
  this.svg.addEventListener("mousemove", function (e) {
    var box = self.svg.getBoundingClientRect();
    self.pointAt(L + 0, (e.clientX - box.left) / box.width * W);
  });
  this.svg.addEventListener("keydown", function (e) {
    var n = self.xs.length;
    if (!n) return;
    if (e.key === "ArrowRight") self.state.cursor = Math.min(n - 1, self.state.cursor + 1);
    else if (e.key === "ArrowLeft") self.state.cursor = Math.max(0, self.state.cursor < 0 ? n - 1 : self.state.cursor - 1);
    else if (e.key === "Home") self.state.cursor = 0;
    else if (e.key === "End") self.state.cursor = n - 1;
    else return;
    e.preventDefault();
    self.show();
  });
  this.draw();
}
Curve.prototype.series = function () {
  var st = this.state;
  return this.chart.series.map(function (s) {
    var xs = st.x === "time" ? s.time : s.step, ys = smooth(s.value, st.smooth), pts = [];
    for (var i = 0; i < xs.length; i++) {
      var y = ys[i];
      if (st.log) { if (!(y > 0)) continue; y = Math.log10(y); }
      if (isFinite(y) && isFinite(xs[i])) pts.push([xs[i], y, s.value[i]]);
    }
    return { label: s.label, color: s.color, dash: s.dash, pts: pts };
  });
};
Curve.prototype.draw = function () {
  var svg = this.svg, st = this.state, ser = this.series();
  var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity, all = {};
  ser.forEach(function (s) { s.pts.forEach(function (p) {
    x0 = Math.min(x0, p[0]); x1 = Math.max(x1, p[0]); y0 = Math.min(y0, p[1]); y1 = Math.max(y1, p[1]); all[p[0]] = 1;
  }); });
  if (!(x1 >= x0)) { x0 = 0; x1 = 1; }
  if (!(y1 >= y0)) { y0 = 0; y1 = 1; }
  var yt = ticks(y0, y1, 5);
  if (yt.length > 1) { y0 = Math.min(y0, yt[0]); y1 = Math.max(y1, yt[yt.length - 1]); }
  if (x1 === x0) { x0 -= 1; x1 += 1; }
  if (y1 === y0) { var pad = y0 === 0 ? 1 : Math.abs(y0) * 0.1; y0 -= pad; y1 += pad; }
  var sx = function (v) { return L + (v - x0) / (x1 - x0) * PW; };
  var sy = function (v) { return T + PH - (v - y0) / (y1 - y0) * PH; };
  this.sx = sx; this.sy = sy; this.ser = ser;
  this.xs = Object.keys(all).map(Number).sort(function (a, b) { return a - b; });
  var keep = [];
  for (var c = 0; c < svg.childNodes.length; c++) {
    var n = svg.childNodes[c].nodeName;
    if (n === "title" || n === "desc") keep.push(svg.childNodes[c]);
  }
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  keep.forEach(function (k) { svg.appendChild(k); });
  var axis = el("g", { "class": "axis" });
  ticks(y0, y1, 5).forEach(function (t) {
    if (t < y0 || t > y1) return;
    axis.appendChild(el("line", { "class": "grid", x1: L, y1: sy(t), x2: L + PW, y2: sy(t) }));
    axis.appendChild(el("text", { x: L - 4, y: sy(t) + 3, "text-anchor": "end" }, st.log ? num(Math.pow(10, t)) : num(t)));
  });
  axis.appendChild(el("line", { x1: L, y1: T + PH, x2: L + PW, y2: T + PH }));
  ticks(x0, x1, 5).forEach(function (t) {
    if (t < x0 || t > x1) return;
    axis.appendChild(el("text", { x: sx(t), y: T + PH + 14, "text-anchor": "middle" }, num(t)));
  });
  axis.appendChild(el("text", { x: L + PW / 2, y: H - 6, "text-anchor": "middle", "class": "label" },
    st.x === "time" ? "seconds since the run's first point" : "step"));
  svg.appendChild(axis);
  var lines = el("g", { "class": "lines" });
  ser.forEach(function (s) {
    if (!s.pts.length) return;
    var d = s.pts.map(function (p, i) { return (i ? "L" : "M") + sx(p[0]).toFixed(1) + " " + sy(p[1]).toFixed(1); }).join("");
    var path = el("path", { "class": "line s" + s.color + (s.dash ? " d" + s.dash : ""), d: d });
    if (s.pts.length === 1) path = el("circle", { "class": "dot s" + s.color, cx: sx(s.pts[0][0]), cy: sy(s.pts[0][1]), r: 3 });
    path.appendChild(el("title", {}, s.label));
    lines.appendChild(path);
  });
  svg.appendChild(lines);
  this.cursor = el("line", { "class": "cursor", x1: -10, y1: T, x2: -10, y2: T + PH, visibility: "hidden" });
  svg.appendChild(this.cursor);
  this.state.cursor = -1;
  this.tip.textContent = "";
};
Curve.prototype.pointAt = function (unused, px) {
  var best = -1, dist = Infinity;
  for (var i = 0; i < this.xs.length; i++) {
    var d = Math.abs(this.sx(this.xs[i]) - px);
    if (d < dist) { dist = d; best = i; }
  }
  this.state.cursor = best;
  this.show();
};
Curve.prototype.show = function () {
  var i = this.state.cursor;
  if (i < 0 || i >= this.xs.length) return;
  var x = this.xs[i], sx = this.sx(x);
  this.cursor.setAttribute("x1", sx); this.cursor.setAttribute("x2", sx); this.cursor.setAttribute("visibility", "visible");
  var parts = [(this.state.x === "time" ? "t = " + num(x) + " s" : "step " + num(x))];
  this.ser.forEach(function (s) {
    // The run's last point at or before x: what the curve shows there.
    var hit = null;
    for (var k = 0; k < s.pts.length && s.pts[k][0] <= x; k++) hit = s.pts[k];
    if (hit) parts.push(s.label + ": " + num(hit[2]));
  });
  this.tip.textContent = parts.join(" · ");
};

function sortable(table) {
  var heads = table.tHead ? table.tHead.rows[0].cells : [];
  Array.prototype.forEach.call(heads, function (th, col) {
    var button = document.createElement("button");
    button.type = "button";
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    button.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var key = function (r) { var c = r.cells[col]; return c ? (c.getAttribute("data-value") || c.textContent) : ""; };
      var numeric = rows.every(function (r) { var k = key(r); return k === "-" || k === "" || !isNaN(+k); });
      rows.sort(function (a, b) {
        var p = key(a), q = key(b), r;
        if (numeric) { p = p === "-" || p === "" ? -Infinity : +p; q = q === "-" || q === "" ? -Infinity : +q; r = p < q ? -1 : p > q ? 1 : 0; }
        else r = p.localeCompare(q);
        return up ? r : -r;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
}

(data.charts || []).forEach(function (chart) { new Curve(chart); });
Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), sortable);
})();
)JS";
}

}  // namespace mlops::view
