// End-to-end: the device table sorts by its headers (click and keyboard), filters by text
// and by label, and renders a page of rows at a time ("Show more", "Show all").
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { start, cliDevices, ROOT, OUT } from "./harness.mjs";

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

const BIN = process.env.SVCPRINT_BIN ?? path.join(ROOT, "target/release/svcprint");
const keys = (page) => page.$$eval("#device-table tbody tr", (rs) => rs.map((r) => r.dataset.key));
const column = (page, cls) => page.$$eval(`#device-table tbody td.${cls}`, (tds) => tds.map((td) => td.textContent));
const aria = (page, col) => page.getAttribute(`#device-table th[data-column="${col}"]`, "aria-sort");

test("a fleet of homes: pages of 50 rows, every sort, text filter as the CLI's numbers say", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svcprint-table-"));
  const csv = path.join(dir, "homes.csv");
  execFileSync(BIN, ["simulate", "--homes", "9", "--flows", "40000", "-o", csv], { stdio: "ignore" });
  const cli = cliDevices([csv]).devices;
  assert.ok(cli.length > 100, `${cli.length} devices`);

  const page = await app.newPage();
  await page.setInputFiles("#file-input", csv);
  await page.waitForSelector("#device-table tbody tr", { timeout: 60_000 });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(await page.textContent("#devices-heading"), `Devices (${cli.length})`);
  assert.equal(await page.textContent("#device-count"), `Showing 50 of ${cli.length} devices`);
  // Default order: the engine's (by key), one page.
  assert.deepEqual(await keys(page), cli.slice(0, 50).map((d) => d.key));
  assert.equal(await aria(page, "key"), "ascending");
  await page.click("#show-more");
  assert.equal((await keys(page)).length, 100);
  await page.click("#show-all");
  assert.deepEqual(await keys(page), cli.map((d) => d.key));
  assert.equal(await page.$("#show-more"), null);

  // Flows: first click largest first (ties by key), second click smallest first; the
  // keyboard (Enter on the header's button) does the same as a click.
  const byFlows = [...cli].sort((a, b) => b.flows - a.flows || (a.key < b.key ? -1 : 1));
  await page.click('#device-table th[data-column="flows"] button');
  assert.equal(await aria(page, "flows"), "descending");
  assert.equal(await aria(page, "key"), "none");
  assert.deepEqual(await keys(page), byFlows.map((d) => d.key));
  await page.focus('#device-table th[data-column="flows"] button');
  await page.keyboard.press("Enter");
  assert.equal(await aria(page, "flows"), "ascending");
  const ascending = (await column(page, "flows")).map(Number);
  assert.deepEqual(ascending, cli.map((d) => d.flows).sort((a, b) => a - b));
  // Every column sorts and says so.
  for (const col of ["key", "name", "kind", "flows", "active", "first", "last", "nservices", "exports", "convergence", "recurrence", "top"]) {
    await page.click(`#device-table th[data-column="${col}"] button`);
    assert.match(await aria(page, col), /^(ascending|descending)$/, col);
    assert.equal(await page.$$eval('#device-table th[aria-sort="none"]', (t) => t.length), 11, col);
  }
  await page.click('#device-table th[data-column="nservices"] button');
  const services = (await column(page, "nservices")).map(Number);
  assert.equal(await aria(page, "nservices"), "descending", "a new numeric column starts largest first");
  assert.deepEqual(services, [...services].sort((a, b) => b - a));

  // Text filter: every word must occur in the key, name, type or a service.
  await page.fill("#device-filter", "in:tcp/554");
  const want = cli.filter((d) => d.services.some((s) => s.service.toLowerCase().includes("in:tcp/554"))).map((d) => d.key).sort();
  assert.ok(want.length > 0 && want.length < cli.length);
  assert.deepEqual((await keys(page)).sort(), want);
  assert.equal(await page.textContent("#device-count"), `Showing ${want.length} of ${want.length} matching devices (${cli.length} in all)`);
  await page.fill("#device-filter", "in:tcp/554 no-such-service");
  assert.equal((await keys(page)).length, 0);
  assert.equal(await page.textContent("#no-match"), "No device matches this filter.");
  await page.fill("#device-filter", "");
  assert.equal((await keys(page)).length, 50, "a new filter starts at one page");
  await page.screenshot({ path: path.join(OUT, "table-homes.png"), fullPage: true });
  assert.deepEqual(app.problems, []);
});

test("the demo: sort by name, labelled and unlabelled only", async () => {
  const page = await app.newPage();
  await page.click("#demo");
  await page.waitForSelector("#device-table tbody tr");
  await page.click('#device-table th[data-column="name"] button');
  const names = await column(page, "name");
  assert.equal(names.length, 15);
  assert.equal(names[14], "", "the unlabelled newcomer sorts last");
  const named = names.slice(0, 14);
  const lower = named.map((n) => n.toLowerCase());
  assert.deepEqual(lower, [...lower].sort());
  await page.selectOption("#device-show", "unlabelled");
  assert.deepEqual(await keys(page), ["02:10:00:00:00:0d"]);
  await page.selectOption("#device-show", "labelled");
  assert.equal((await keys(page)).length, 14);
  await page.fill("#device-filter", "smart_plug");
  assert.deepEqual(await column(page, "kind"), ["smart_plug"]);
  assert.deepEqual(app.problems, []);
});
