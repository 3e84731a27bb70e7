// In-browser ingestion benchmark: the release app in headless Chromium against the native
// CLI on the same simulator file, as CSV and as IPFIX. Prints per run MB/s and flows/s of
// both, the longest main-thread task during ingestion, the memory of the whole Chromium
// process tree (PSS, so shared pages count once) before and at its peak, the CPU time of
// the Web Worker (the cost of ingestion whatever else the machine runs), and the bundle size.
//   node scripts/bench/browser.mjs [FLOWS ...] [--formats csv,ipfix] [--fixed-homes N]
// Default: 1000000 and 10000000 flows, both formats, two shapes per size:
//   fleet  one home (14 devices) per 29,000 flows, i.e. a home's four weeks: the devices
//          grow with the input (10 M flows: 345 homes, 4,830 devices, 28 days);
//   fixed  --fixed-homes homes (default 35, 490 devices) whatever the size: the input grows
//          in days, not devices (10 M flows: about 280 days).
// At 1 M flows both shapes are the same file (35 homes), run once.
// Files go to a temporary folder, removed after each run. Needs dist/ (trunk build
// --release) and the release CLI (target/release/svcprint, or SVCPRINT_BIN).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { start, ROOT } from "../../tests/e2e/harness.mjs";

const BIN = process.env.SVCPRINT_BIN ?? path.join(ROOT, "target/release/svcprint");
const argv = process.argv.slice(2);
function option(name, fallback) {
  const at = argv.indexOf(name);
  return at >= 0 ? argv.splice(at, 2)[1] : fallback;
}
const formats = option("--formats", "csv,ipfix").split(",");
const fixedHomes = Number(option("--fixed-homes", "35"));
const onlyShapes = option("--shapes", "fleet,fixed").split(",");
const counts = argv.map(Number).filter((n) => n > 0);

// The Chromium processes started by this script: descendants of this node process.
function chromiumPids() {
  const parent = new Map();
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      parent.set(Number(pid), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch { /* process ended */ }
  }
  const ours = [];
  for (const pid of parent.keys()) {
    for (let p = parent.get(pid); p > 1; p = parent.get(p)) {
      if (p === process.pid) { ours.push(pid); break; }
    }
  }
  return ours;
}

// Proportional set size of the Chromium process tree, MB; `byType` (if given) gets the
// PSS per process type (browser, renderer, gpu-process, utility, ...).
function chromiumPssMb(byType) {
  let kb = 0;
  for (const pid of chromiumPids()) {
    try {
      const m = fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+) kB/m);
      if (!m) continue;
      kb += Number(m[1]);
      if (byType) {
        const type = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").match(/--type=([a-z-]+)/)?.[1] ?? "browser";
        byType[type] = (byType[type] ?? 0) + Number(m[1]) / 1024;
      }
    } catch { /* process ended */ }
  }
  return kb / 1024;
}

// CPU seconds used so far by the Web Worker threads of our Chromium processes (the
// ingestion's own cost, whatever else the machine runs).
function workerCpuS() {
  let ticks = 0;
  for (const pid of chromiumPids()) {
    let tids = [];
    try { tids = fs.readdirSync(`/proc/${pid}/task`); } catch { continue; }
    for (const tid of tids) {
      try {
        const s = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
        if (!s.slice(s.indexOf("(") + 1, s.lastIndexOf(")")).startsWith("DedicatedWorker")) continue;
        const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
        ticks += Number(f[11]) + Number(f[12]);
      } catch { /* thread ended */ }
    }
  }
  return ticks / 100;
}

function gzipKb(file) {
  return zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length / 1024;
}

const runs = [];
for (const flows of counts.length ? counts : [1_000_000, 10_000_000]) {
  const fleet = Math.max(1, Math.ceil(flows / 29_000));
  const shapes = fleet === fixedHomes ? [["fleet = fixed", fleet]] : [["fleet", fleet], ["fixed", fixedHomes]];
  for (const [shape, homes] of shapes) {
    if (!shape.split(" = ").some((s) => onlyShapes.includes(s))) continue;
    for (const format of formats) runs.push({ flows, shape, homes, format });
  }
}

const app = await start();
const results = [];
for (const run of runs) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svcprint-bench-"));
  const file = path.join(dir, `sim-${run.flows}-${run.homes}.${run.format}`);
  execFileSync(BIN, ["simulate", "--homes", String(run.homes), "--flows", String(run.flows), "-o", file], { stdio: "ignore" });
  const mb = fs.statSync(file).size / 1e6;

  const t0 = process.hrtime.bigint();
  const native = JSON.parse(execFileSync(BIN, ["devices", "--json", file], { maxBuffer: 1 << 30 }).toString());
  const nativeS = Number(process.hrtime.bigint() - t0) / 1e9;

  const page = await app.newPage();
  await page.evaluate(() => {
    window.__tasks = [];
    window.__tableAt = null;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__tasks.push([e.startTime, e.duration]); })
      .observe({ type: "longtask", buffered: false });
    new MutationObserver(() => {
      if (window.__tableAt === null && document.getElementById("device-table")) window.__tableAt = performance.now();
    }).observe(document.body, { childList: true, subtree: true });
  });
  const typesBefore = {};
  const before = chromiumPssMb(typesBefore);
  const cpu0 = workerCpuS();
  let peak = before;
  // The peak PSS of each process type (not necessarily at the same moment).
  const typesPeak = {};
  const sample = () => {
    const types = {};
    peak = Math.max(peak, chromiumPssMb(types));
    for (const [t, mb] of Object.entries(types)) typesPeak[t] = Math.max(typesPeak[t] ?? 0, mb);
  };
  const sampler = setInterval(sample, 100);
  // Timed in the page, from just before the file is given to the moment the results
  // table is inserted (the MutationObserver above): Playwright's waitForSelector polls at
  // up to 500 ms intervals, which timing from here would add.
  const t1 = await page.evaluate(() => performance.now());
  await page.setInputFiles("#file-input", file);
  await page.waitForSelector("#device-table tbody tr", { timeout: 900_000 });
  const browserS = ((await page.evaluate(() => window.__tableAt)) - t1) / 1000;
  const workerS = workerCpuS() - cpu0;
  clearInterval(sampler);
  sample();
  // The worker's wasm memory (it never shrinks, so this is its peak): the glue's init
  // function answers the instance's exports once it has run.
  const worker = page.workers()[0];
  const wasmMb = worker ? await worker.evaluate(async () => (await wasm_bindgen()).memory.buffer.byteLength / 2 ** 20) : NaN;
  // Tasks that ended before the results appeared are ingestion; the one that inserted the
  // results (and any after) are the rendering of the results.
  await page.waitForTimeout(500);
  const [ingestLongest, renderLongest] = await page.evaluate(() => {
    const end = (t) => t[0] + t[1];
    // 1 ms of slack: the task that inserted the table ends where the observer fired.
    const before = window.__tasks.filter((t) => end(t) < window.__tableAt - 1).map((t) => t[1]);
    const after = window.__tasks.filter((t) => end(t) >= window.__tableAt - 1).map((t) => t[1]);
    return [Math.max(0, ...before), Math.max(0, ...after)];
  });
  // The table renders a window of rows; the heading counts them all.
  const devices = Number((await page.textContent("section.devices h2")).match(/\((\d+)\)/)[1]);
  await page.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (devices !== native.devices.length) throw new Error(`${file}: the page shows ${devices} devices, the CLI ${native.devices.length}`);
  const r = {
    ...run, file_mb: Number(mb.toFixed(1)), devices,
    native_s: Number(nativeS.toFixed(2)), native_mb_s: Number((mb / nativeS).toFixed(1)),
    browser_s: Number(browserS.toFixed(2)), browser_mb_s: Number((mb / browserS).toFixed(1)),
    browser_flows_s: Math.round(run.flows / browserS), browser_vs_native: Number((nativeS / browserS).toFixed(2)),
    worker_cpu_s: Number(workerS.toFixed(2)),
    longest_task_ingestion_ms: Math.round(ingestLongest), longest_task_rendering_ms: Math.round(renderLongest),
    chromium_pss_mb_before: Math.round(before), chromium_pss_mb_peak: Math.round(peak),
    pss_mb_by_type: Object.fromEntries(Object.keys(typesPeak).map((t) => [t, `${Math.round(typesBefore[t] ?? 0)} → ${Math.round(typesPeak[t])}`])),
    worker_wasm_memory_mb: Math.round(wasmMb),
    load: os.loadavg().map((l) => l.toFixed(1)).join(" "),
  };
  console.log(JSON.stringify(r));
  results.push(r);
}
await app.stop();

const dist = path.join(ROOT, "dist");
const bundle = fs.readdirSync(dist).filter((f) => /\.(wasm|js|css)$/.test(f))
  .map((f) => [f, gzipKb(path.join(dist, f))]);
const total = bundle.reduce((s, [, kb]) => s + kb, 0);

const M = (n) => (n >= 1e6 ? `${n / 1e6} M` : String(n));
console.log("\n| flows | shape (homes, devices) | format (file) | native | browser | browser / native | worker CPU | longest main-thread task: ingestion, results | Chromium PSS before → peak |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of results) {
  console.log(`| ${M(r.flows)} | ${r.shape} (${r.homes}, ${r.devices.toLocaleString("en")}) | ${r.format.toUpperCase()} (${r.file_mb} MB) | ` +
    `${r.native_s} s, ${r.native_mb_s} MB/s | ${r.browser_s} s, ${r.browser_mb_s} MB/s, ${Math.round(r.browser_flows_s / 1000)} k flows/s | ` +
    `${r.browser_vs_native} | ${r.worker_cpu_s} s | ${r.longest_task_ingestion_ms < 50 ? "none over 50 ms" : `${r.longest_task_ingestion_ms} ms`}, ${r.longest_task_rendering_ms} ms | ` +
    `${r.chromium_pss_mb_before} → ${r.chromium_pss_mb_peak} MB |`);
}
console.log(`\nBundle, gzipped: ${bundle.map(([f, kb]) => `${f} ${kb.toFixed(0)} kB`).join(", ")}; ${(total / 1024).toFixed(2)} MB in all.`);
