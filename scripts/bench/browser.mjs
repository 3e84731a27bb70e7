// In-browser ingestion benchmark: the release app in headless Chromium against the native
// CLI on the same simulator file. Prints MB/s and flows/s for both, the longest main-thread
// task during ingestion, and the peak memory (RSS) of all Chromium processes.
//   node scripts/bench/browser.mjs [FLOWS ...] [--homes N]     default 1000000 flows
// The simulator's homes (14 devices each) default to one per 29,000 flows (a home's four
// weeks); --homes N sets them, e.g. 1000000 --homes 345 gives 4,830 devices in one day.
// Needs dist/ (trunk build --release) and target/release/svcprint.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { start, ROOT } from "../../tests/e2e/harness.mjs";

const BIN = path.join(ROOT, "target/release/svcprint");
const argv = process.argv.slice(2);
const homesAt = argv.indexOf("--homes");
const homesArg = homesAt >= 0 ? Number(argv.splice(homesAt, 2)[1]) : 0;
const counts = argv.map(Number).filter((n) => n > 0);

function chromiumRssMb() {
  let total = 0;
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!cmd.includes("chromium")) continue;
      const m = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
      if (m) total += Number(m[1]);
    } catch { /* process ended */ }
  }
  return total / 1024;
}

const app = await start();
for (const flows of counts.length ? counts : [1_000_000]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svcprint-bench-"));
  const file = path.join(dir, `sim-${flows}.csv`);
  const homes = homesArg > 0 ? homesArg : Math.max(1, Math.ceil(flows / 29_000));
  execFileSync(BIN, ["simulate", "--homes", String(homes), "--flows", String(flows), "-o", file], { stdio: "ignore" });
  const mb = fs.statSync(file).size / 1e6;

  const t0 = process.hrtime.bigint();
  execFileSync(BIN, ["devices", file], { stdio: "ignore" });
  const native = Number(process.hrtime.bigint() - t0) / 1e9;

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
  const baseline = chromiumRssMb();
  let peak = baseline;
  const sampler = setInterval(() => { peak = Math.max(peak, chromiumRssMb()); }, 100);
  const t1 = Date.now();
  await page.setInputFiles("#file-input", file);
  await page.waitForSelector("#device-table tbody tr", { timeout: 600_000 });
  const browser = (Date.now() - t1) / 1000;
  clearInterval(sampler);
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
  const rendered = await page.$$eval("#device-table tbody tr", (r) => r.length);
  await page.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({
    flows, file_mb: Number(mb.toFixed(1)),
    native_s: Number(native.toFixed(2)), native_mb_s: Number((mb / native).toFixed(1)), native_flows_s: Math.round(flows / native),
    browser_s: Number(browser.toFixed(2)), browser_mb_s: Number((mb / browser).toFixed(1)), browser_flows_s: Math.round(flows / browser),
    browser_vs_native: Number((native / browser).toFixed(2)),
    devices, rendered_rows: rendered, longest_task_during_ingestion_ms: Math.round(ingestLongest), longest_task_rendering_results_ms: Math.round(renderLongest), chromium_rss_mb_before: Math.round(baseline),
    chromium_rss_mb_peak: Math.round(peak),
  }));
}
await app.stop();
