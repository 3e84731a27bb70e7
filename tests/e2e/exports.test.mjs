// End-to-end: every export downloads from the page and equals what the CLI writes for the
// same data (the demo, written by `svcprint simulate`): library JSON, evaluation JSON, MUD
// draft, device CSV, and the chart as SVG and PNG.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { start, ROOT, OUT } from "./harness.mjs";

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

const BIN = process.env.SVCPRINT_BIN ?? path.join(ROOT, "target/release/svcprint");

async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const file = path.join(OUT, d.suggestedFilename());
  await d.saveAs(file);
  return { name: d.suggestedFilename(), bytes: fs.readFileSync(file) };
}

test("library, evaluation, MUD, CSV and chart exports download and match the CLI", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svcprint-exports-"));
  const csv = path.join(dir, "demo.csv"), labels = path.join(dir, "labels.csv");
  execFileSync(BIN, ["simulate", "-o", csv, "--labels", labels], { stdio: "ignore" });
  const cli = (args) => JSON.parse(execFileSync(BIN, args, { maxBuffer: 64 << 20 }).toString());
  const wantLibrary = cli(["library", csv, "--labels", labels]);
  const wantEvaluation = cli(["evaluate", csv, "--labels", labels, "--json"]);
  const wantMud = cli(["mud", csv, "--device", "02:10:00:00:00:0a"]);
  fs.rmSync(dir, { recursive: true, force: true });

  const page = await app.newPage();
  await page.click("#demo");
  await page.waitForSelector("#device-table tbody tr");
  await page.waitForSelector("#export-library:enabled");

  const lib = await download(page, "#export-library");
  assert.equal(lib.name, "svcprint-library.json");
  assert.deepEqual(JSON.parse(lib.bytes), wantLibrary);
  const ev = await download(page, "#export-evaluation");
  assert.deepEqual(JSON.parse(ev.bytes), wantEvaluation);
  const devices = (await download(page, "#export-devices")).bytes.toString().trim().split("\n");
  assert.equal(devices.length, 16);
  assert.ok(devices.some((l) => l.startsWith("02:10:00:00:00:02,plug-kitchen,smart_plug,")));

  await page.click('#device-table tr[data-key="02:10:00:00:00:0a"] button');
  await page.waitForSelector('#device-detail[data-key="02:10:00:00:00:0a"]');
  const mud = await download(page, "#export-mud");
  assert.equal(mud.name, "mud-02-10-00-00-00-0a.json");
  const doc = JSON.parse(mud.bytes);
  assert.ok(doc["ietf-mud:mud"] && doc["ietf-access-control-list:acls"]);
  assert.deepEqual(doc, wantMud);

  const svg = (await download(page, "#service-chart-svg")).bytes.toString();
  assert.ok(svg.startsWith("<svg") && svg.includes("TCP/443"), svg.slice(0, 200));
  const png = (await download(page, "#service-chart-png")).bytes;
  assert.equal(png.subarray(0, 8).toString("hex"), "89504e470d0a1a0a");

  // A MUD draft needs a stable fingerprint: the router has one, the newcomer too; an
  // export the engine cannot make is explained, not silent.
  assert.equal(await page.$("#export-error"), null);
  assert.deepEqual(app.problems, []);
});
