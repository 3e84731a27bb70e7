// End-to-end: "Try the demo" loads the simulated, labelled home in one click, with the same
// numbers the CLI gives for the file `svcprint simulate` writes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { start, deviceRows, cliDevices, ROOT, OUT } from "./harness.mjs";

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

test("the demo loads in one click, labelled, and agrees with the CLI on the simulated file", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svcprint-demo-"));
  const csv = path.join(dir, "demo.csv");
  execFileSync(process.env.SVCPRINT_BIN ?? path.join(ROOT, "target/release/svcprint"), ["simulate", "-o", csv]);
  const cli = cliDevices([csv]);
  fs.rmSync(dir, { recursive: true, force: true });

  const page = await app.newPage();
  await page.click("#demo");
  await page.waitForSelector("#device-table tbody tr", { timeout: 30_000 });
  const rows = await deviceRows(page);
  assert.equal(Object.keys(rows).length, 15);
  assert.deepEqual(Object.keys(rows).sort(), cli.devices.map((d) => d.key).sort());
  for (const want of cli.devices) {
    const got = rows[want.key];
    assert.equal(got.flows, want.flows, want.key);
    assert.equal(got.active, want.active_bins, want.key);
    assert.equal(got.nservices, want.services.length, want.key);
    assert.deepEqual(got.top, want.services.slice(0, 3).map((s) => s.service), want.key);
  }
  // Labelled devices show name and type; the newcomer does not.
  const named = await page.$$eval("#device-table tbody tr", (rs) => Object.fromEntries(rs.map((r) => [r.dataset.key, [r.querySelector(".name").textContent, r.querySelector(".kind").textContent]])));
  assert.deepEqual(named["02:10:00:00:00:02"], ["plug-kitchen", "smart_plug"]);
  assert.deepEqual(named["02:10:00:00:00:0d"], ["", ""]);
  assert.match(await page.textContent("#files"), /demo: simulated home fleet \(28 days\) — simulated · \d+ records/);
  await page.screenshot({ path: path.join(OUT, "demo-1280.png"), fullPage: true });

  // Phone width: the page still works and nothing overflows the viewport but the table.
  // Started from the keyboard: the focus continues at the result views' tabs, and a
  // device opened from the table moves it to the Device tab (never back to the page top).
  const phone = await app.newPage({ width: 390, height: 844 });
  const focused = () => phone.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
  await phone.focus("#demo");
  await phone.keyboard.press("Enter");
  await phone.waitForSelector("#device-table tbody tr");
  await phone.waitForFunction(() => document.activeElement?.id === "tab-overview", null, { timeout: 5_000 })
    .catch(async () => assert.fail(`focus after the demo loaded: ${await focused()}`));
  await phone.focus('#device-table tbody tr[data-key="02:10:00:00:00:02"] td.key button');
  await phone.keyboard.press("Enter");
  await phone.waitForSelector("#view-device");
  assert.equal(await focused(), "tab-device");
  await phone.click("#tab-overview");
  await phone.waitForSelector("#device-table tbody tr");
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page overflows a phone screen by ${overflow}px`);
  await phone.screenshot({ path: path.join(OUT, "demo-phone.png"), fullPage: true });
  assert.deepEqual(app.problems, []);
});
