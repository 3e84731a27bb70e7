// End-to-end: Cancel during ingestion stops the run (the progress stops moving, no table
// appears, the page says so), and the next run starts clean: its flows and devices are
// those of its own file only, as the CLI counts them, with nothing of the cancelled file.
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
const progressValue = (page) => page.$eval("#progress-bar", (p) => Number(p.value));
const progressMax = (page) => page.$eval("#progress-bar", (p) => Number(p.max));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("Cancel stops a big run; the next run holds only its own file", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svcprint-cancel-"));
  try {
    // Big enough that reading takes seconds in the worker (about 280 MB of CSV).
    const big = path.join(dir, "big.csv");
    execFileSync(BIN, ["simulate", "--homes", "35", "--flows", "2000000", "-o", big], { stdio: "ignore" });
    const small = path.join(dir, "small.csv");
    execFileSync(BIN, ["simulate", "--homes", "3", "--flows", "20000", "-o", small], { stdio: "ignore" });
    const want = cliDevices([small]);

    const page = await app.newPage();
    await page.setInputFiles("#file-input", big);
    await page.waitForSelector("#cancel", { timeout: 30_000 });
    // Wait until the worker has acknowledged some bytes, then cancel mid-way.
    await page.waitForFunction(() => Number(document.querySelector("#progress-bar")?.value) > 0, null, { timeout: 30_000 });
    const total = await progressMax(page);
    assert.equal(total, fs.statSync(big).size, "the bar's maximum is the file's size");
    await page.click("#cancel");
    await page.waitForSelector("text=Cancelled. Drop files to start again.", { timeout: 10_000 });
    assert.equal(await page.$("#cancel"), null, "no Cancel button once cancelled");
    const stopped = await progressValue(page);
    assert.ok(stopped > 0 && stopped < total, `cancelled mid-way: ${stopped} of ${total} bytes`);
    // The worker's late answers for the cancelled run change nothing on the page.
    await sleep(2_000);
    assert.equal(await progressValue(page), stopped, "the progress no longer moves");
    assert.equal(await page.$("#device-table"), null, "no results from a cancelled run");
    await page.screenshot({ path: path.join(OUT, "cancelled.png"), fullPage: true });

    // A new run right after: only the small file's flows and devices.
    await page.setInputFiles("#file-input", small);
    await page.waitForSelector("#device-table tbody tr", { timeout: 60_000 });
    assert.equal(await page.textContent("#devices-heading"), `Devices (${want.devices.length})`);
    const flows = want.devices.reduce((n, d) => n + d.flows, 0);
    const text = await page.textContent("#progress-text");
    assert.match(text, /^100% · /, text);
    assert.equal(await progressMax(page), fs.statSync(small).size);
    assert.equal(await page.$("text=Cancelled. Drop files to start again."), null, "the notice goes with a new run");
    const pageFlows = await page.$$eval("#device-table tbody td.flows", (tds) => tds.reduce((n, td) => n + Number(td.textContent), 0));
    // The table shows one page of rows; with 3 homes every device fits on it.
    assert.ok(want.devices.length <= 50, `${want.devices.length} devices`);
    assert.equal(pageFlows, flows, "the devices' flows are the small file's alone");
    assert.deepEqual(app.problems, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
