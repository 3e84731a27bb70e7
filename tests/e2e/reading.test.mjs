// End-to-end: the worker's reading of the files (a byte stream per file into one reused
// buffer): several files of one run (CSV, IPFIX, an empty file) give the CLI's devices,
// and a new run started while a big file is being read replaces it (the first run's
// results never show).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { start, cliDevices, ROOT } from "./harness.mjs";

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

const BIN = process.env.SVCPRINT_BIN ?? path.join(ROOT, "target/release/svcprint");
const keys = (page) => page.$$eval("#device-table tbody tr", (rs) => rs.map((r) => r.dataset.key));
const simulate = (file, homes, flows, seed) =>
  execFileSync(BIN, ["simulate", "--homes", String(homes), "--flows", String(flows), "--seed", String(seed), "-o", file], { stdio: "ignore" });

test("several files in one run, an empty one among them, give the CLI's devices", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svcprint-reading-"));
  const files = [path.join(dir, "a.csv"), path.join(dir, "empty.csv"), path.join(dir, "b.ipfix")];
  simulate(files[0], 2, 60_000, 1);
  fs.writeFileSync(files[1], "");
  simulate(files[2], 3, 90_000, 2);
  const cli = cliDevices(files).devices;
  const page = await app.newPage();
  await page.setInputFiles("#file-input", files);
  await page.waitForSelector("#device-table tbody tr", { timeout: 60_000 });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(await page.textContent("#devices-heading"), `Devices (${cli.length})`);
  await page.click("#show-all").catch(() => {});
  assert.deepEqual(await keys(page), cli.map((d) => d.key));
  assert.deepEqual(app.problems, []);
  await page.close();
});

test("a new run while a big file is being read replaces it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svcprint-reading-"));
  const big = path.join(dir, "big.csv");
  const small = path.join(dir, "small.csv");
  simulate(big, 20, 600_000, 3);
  simulate(small, 1, 20_000, 4);
  const cli = cliDevices([small]).devices;
  assert.notEqual(cliDevices([big]).devices.length, cli.length);
  const page = await app.newPage();
  await page.setInputFiles("#file-input", big);
  await page.waitForTimeout(100);
  await page.setInputFiles("#file-input", small);
  await page.waitForSelector("#device-table tbody tr", { timeout: 60_000 });
  // Long enough for the big file's reading to have ended, had it gone on.
  await page.waitForTimeout(3000);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(await page.textContent("#devices-heading"), `Devices (${cli.length})`);
  assert.deepEqual(await keys(page), cli.map((d) => d.key));
  assert.deepEqual(app.problems, []);
  await page.close();
});
