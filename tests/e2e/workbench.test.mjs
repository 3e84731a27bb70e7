// End-to-end: the seven UNSW devices dropped at once, a label file imported, a parameter
// changed: the page shows the numbers `svcprint devices` and `svcprint evaluate` print.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { start, deviceRows, cli, cliDevices, ROOT, UNSW, OUT } from "./harness.mjs";

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

const LABELS = path.join(ROOT, "crates/svcprint-cli/tests/unsw7_labels.csv");
const pct = (v) => `${(v * 100).toFixed(1)}%`;

test("seven devices, labels, evaluation and a parameter change agree with the CLI", async () => {
  const files = fs.readdirSync(UNSW).filter((f) => f.endsWith(".zip")).sort().map((f) => path.join(UNSW, f));
  assert.equal(files.length, 7);
  const page = await app.newPage();
  await page.setInputFiles("#file-input", files);
  await page.waitForSelector("#device-table tbody tr", { timeout: 180_000 });
  const [value, max] = await page.$eval("#progress-bar", (p) => [p.value, p.max]);
  assert.equal(value, max);
  assert.match(await page.textContent("#progress-text"), /^100% · .* · 887303 flows$/);

  // Labels: the seven main MACs get their names, and the evaluation appears.
  await page.setInputFiles("#label-input", LABELS);
  await page.waitForSelector("#label-status");
  assert.equal(await page.textContent("#label-status"), "unsw7_labels.csv: 7 devices labelled");
  await page.click("#tab-evaluate");
  await page.waitForSelector('#evaluation-table tr[data-representation="G2"]');
  await page.click("#tab-overview");
  const names = await page.$$eval("#device-table tbody tr", (rs) => Object.fromEntries(rs.map((r) => [r.dataset.key, r.querySelector(".name").textContent])));
  assert.equal(names["60:01:94:54:6b:e8"], "nature_remo");
  assert.equal(names["38:d5:47:0c:25:d4"], "", "the gateway is not labelled");

  await page.click("#tab-evaluate");
  await page.waitForSelector('#evaluation-table tr[data-representation="G2"]');
  const want = cli(["evaluate", "--labels", LABELS, ...files]);
  const got = await page.$$eval("#evaluation-table tbody tr", (rs) => Object.fromEntries(rs.map((r) => [r.dataset.representation,
    Object.fromEntries([...r.querySelectorAll("td")].map((td) => [td.classList[1], td.textContent]))])));
  assert.deepEqual(Object.keys(got), ["SL", "SP", "G2", "G4", "G8"]);
  for (const [rep, r] of Object.entries(want.representations)) {
    const c = r.closed, o = r.open;
    assert.deepEqual(got[rep], {
      library: String(c.library),
      queries: String(c.queries),
      accuracy: pct(c.accuracy),
      "macro-f1": c.macro_f1.toFixed(3),
      "device-accuracy": `${pct(c.device_accuracy)} (${c.devices_correct}/${c.devices})`,
      auroc: o.auroc === null ? "–" : o.auroc.toFixed(3),
      "best-rho": o.best_rho.toFixed(2),
      balanced: pct(o.best_balanced_accuracy),
    }, rep);
  }
  // The G2 details: the confusion matrix as the CLI has it, and the open-set curves drawn.
  const confusion = want.representations.G2.closed.confusion;
  const cols = [...new Set(Object.values(confusion).flatMap((row) => Object.keys(row)))].sort();
  const gotConfusion = await page.$$eval("#confusion tbody tr", (rs) => Object.fromEntries(rs.map((r) => [r.dataset.label, [...r.querySelectorAll("td")].map((td) => td.textContent)])));
  assert.deepEqual(gotConfusion, Object.fromEntries(Object.entries(confusion).map(([t, row]) => [t, cols.map((c) => (row[c] ? String(row[c]) : ""))])));
  const inks = await page.$eval("#open-set-chart", (c) => {
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    const count = [0, 0, 0];
    const colours = [[0x1f, 0x5f, 0x8b], [0xb4, 0x23, 0x18], [0x2e, 0x7d, 0x32]];
    for (let i = 0; i < d.length; i += 4) colours.forEach(([r, g, b], k) => { if (d[i] === r && d[i + 1] === g && d[i + 2] === b) count[k]++; });
    return count;
  });
  assert.ok(inks.every((n) => n > 50), `curve pixels ${inks}`);
  await page.screenshot({ path: path.join(OUT, "workbench-labelled.png"), fullPage: true });

  // A parameter change recomputes from the kept aggregates: direction-blind services.
  await page.click("#tab-overview");
  await page.click("#params summary");
  await page.uncheck("#param-direction_aware");
  await page.waitForFunction(() => ![...document.querySelectorAll("#device-table td.top")].some((td) => td.textContent.includes("in:")));
  const blind = cliDevices(files, ["--direction-aware", "false"]);
  const rows = await deviceRows(page);
  for (const d of blind.devices) {
    assert.equal(rows[d.key].nservices, d.services.length, d.key);
    assert.deepEqual(rows[d.key].top, d.services.slice(0, 3).map((s) => s.service), d.key);
  }
  // A value the engine refuses is reported and changes nothing.
  await page.fill("#param-tau", "1.5");
  await page.press("#param-tau", "Enter");
  await page.waitForSelector("#param-error");
  assert.match(await page.textContent("#param-error"), /tau/);
  await page.screenshot({ path: path.join(OUT, "workbench-params.png"), fullPage: true });
  assert.deepEqual(app.problems, []);
});
