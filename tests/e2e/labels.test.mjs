// End-to-end on the seven UNSW devices: a device labelled inline in the table counts like
// an imported label (Identify and Evaluate equal the CLI's with the full label file); the
// labels export re-imports to the same table; the library exported by the page, imported
// after a reload, identifies as `svcprint identify --library` does; the tau slider
// recomputes while it moves; "Save in this browser" restores after a reload, "Clear saved
// data" forgets; quota errors and corrupt stored values are reported, never fatal.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { start, cli, ROOT, UNSW, OUT } from "./harness.mjs";

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

// The label file the tests derive from the data: each device's MAC -> its zip's name.
const LABELS = path.join(ROOT, "crates/svcprint-cli/tests/unsw7_labels.csv");
const BIN = process.env.SVCPRINT_BIN ?? path.join(ROOT, "target/release/svcprint");
const XIAOMI = "78:11:dc:55:76:4c";
const REMO = "60:01:94:54:6b:e8";
const pct = (v) => `${(v * 100).toFixed(1)}%`;

const FILES = fs.readdirSync(UNSW).filter((f) => f.endsWith(".zip")).sort().map((f) => path.join(UNSW, f));

async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const file = path.join(OUT, d.suggestedFilename());
  await d.saveAs(file);
  return file;
}

async function load(page) {
  await page.setInputFiles("#file-input", FILES);
  await page.waitForSelector("#device-table tbody tr", { timeout: 180_000 });
  // Once done, the progress line gives the run's average rate (flows/s, from its counts).
  assert.match(await page.textContent("#progress-speed"), /^ · \d[\d\u202f]* flows\/s on average$/);
}

async function show(page, view) {
  await page.click(`#tab-${view}`);
  await page.waitForSelector(`#view-${view}`);
}

const identifyRows = (page) => page.$$eval("#identify-table tbody tr", (rs) => rs.map((r) => ({
  key: r.dataset.key,
  answer: r.querySelector(".answer").textContent,
  score: r.querySelector(".score").textContent,
  top: r.querySelector(".top").textContent,
})));
const wantIdentify = (want) => want.devices.map((d) => ({
  key: d.key,
  answer: d.answer,
  score: d.score.toFixed(3),
  top: d.top.map((t) => `${t.label} ${t.score.toFixed(3)}`).join(", "),
}));

const evaluationRows = (page) => page.$$eval("#evaluation-table tbody tr", (rs) => Object.fromEntries(rs.map((r) => [r.dataset.representation,
  Object.fromEntries([...r.querySelectorAll("td")].map((td) => [td.classList[1], td.textContent]))])));
const wantEvaluation = (want) => Object.fromEntries(Object.entries(want.representations).map(([rep, r]) => [rep, {
  library: String(r.closed.library),
  queries: String(r.closed.queries),
  accuracy: pct(r.closed.accuracy),
  "macro-f1": r.closed.macro_f1.toFixed(3),
  "device-accuracy": `${pct(r.closed.device_accuracy)} (${r.closed.devices_correct}/${r.closed.devices})`,
  auroc: r.open.auroc === null ? "–" : r.open.auroc.toFixed(3),
  "best-rho": r.open.best_rho.toFixed(2),
  balanced: pct(r.open.best_balanced_accuracy),
}]));

const nameColumns = (page) => page.$$eval("#device-table tbody tr", (rs) => rs.map((r) => [r.dataset.key,
  r.querySelector(".name").textContent, r.querySelector(".kind").textContent]));

test("inline labels, the labels export round trip, and an imported library as the CLI has it", async () => {
  assert.equal(FILES.length, 7);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svcprint-labels-"));
  // Six of the seven labels in a file; the seventh is given inline.
  const six = path.join(dir, "six.csv");
  const full = fs.readFileSync(LABELS, "utf8");
  fs.writeFileSync(six, full.split("\n").filter((l) => !l.startsWith(XIAOMI)).join("\n"));
  const lib = path.join(dir, "lib.json");
  execFileSync(BIN, ["library", ...FILES, "--labels", LABELS, "-o", lib], { stdio: "ignore" });
  const wantLib = JSON.parse(fs.readFileSync(lib, "utf8"));
  const wantId = wantIdentify(cli(["identify", "--library", lib, ...FILES]));
  const wantEval = wantEvaluation(cli(["evaluate", "--labels", LABELS, ...FILES]));

  const page = await app.newPage();
  await load(page);
  await page.setInputFiles("#label-input", six);
  await page.waitForSelector("#label-status");
  assert.equal(await page.textContent("#label-status"), "six.csv: 6 devices labelled");
  await page.waitForFunction((k) => document.querySelector(`#device-table tr[data-key="${k}"] .name`)?.textContent === "nature_remo", REMO);

  // Inline: the Label button opens name and type fields, the name field has the focus,
  // Enter saves; the focus returns to the button.
  const row = `#device-table tr[data-key="${XIAOMI}"]`;
  assert.equal(await page.getAttribute(`${row} .label-open`, "aria-label"), `Name or type device ${XIAOMI}`);
  await page.click(`${row} .label-open`);
  assert.equal(await page.evaluate(() => document.activeElement.className), "label-name");
  assert.equal(await page.getAttribute(`${row} .label-name`, "aria-label"), `Name of device ${XIAOMI}`);
  await page.keyboard.type("xiaomi_mijia_led");
  await page.keyboard.press("Enter");
  await page.waitForSelector(`${row} td.name.inline`);
  assert.equal(await page.textContent(`${row} td.name`), "xiaomi_mijia_led");
  assert.equal(await page.evaluate(() => document.activeElement.className), "label-open secondary");
  await page.waitForSelector("#inline-status");
  // Escape leaves a label as it was; a comma is refused with a reason.
  const remo = `#device-table tr[data-key="${REMO}"]`;
  await page.click(`${remo} .label-open`);
  await page.fill(`${remo} .label-type`, "zzz");
  await page.press(`${remo} .label-type`, "Escape");
  assert.equal(await page.$(`${remo} .label-type`), null);
  assert.deepEqual([await page.textContent(`${remo} .name`), await page.textContent(`${remo} .kind`)], ["nature_remo", ""]);
  await page.click(`${remo} .label-open`);
  await page.fill(`${remo} .label-name`, "a,b");
  await page.press(`${remo} .label-name`, "Enter");
  assert.equal(await page.textContent("#label-error"), "the name cannot contain a comma, a double quote or a line break");
  await page.click(`${remo} .label-cancel`);

  // Identify and Evaluate: the same numbers as the CLI with all seven labels in the file.
  await show(page, "identify");
  await page.waitForSelector("#identify-table tbody tr");
  await page.waitForFunction(() => /of 7 labels/.test(document.querySelector("#identify-library")?.textContent));
  assert.deepEqual(await identifyRows(page), wantId);
  await show(page, "evaluate");
  await page.waitForSelector('#evaluation-table tr[data-representation="G2"]');
  assert.deepEqual(await evaluationRows(page), wantEval);

  // Export labels: the seven labels as a label file; imported again, the same table.
  await show(page, "overview");
  const labelsFile = await download(page, "#export-labels");
  const lines = fs.readFileSync(labelsFile, "utf8").trim().split("\n");
  assert.equal(lines[0], "mac,name,type");
  assert.deepEqual(lines.slice(1).sort(), full.trim().split("\n").slice(1).map((l) => `${l},`).sort());
  const before = await nameColumns(page);
  await page.setInputFiles("#label-input", labelsFile);
  await page.waitForFunction(() => document.querySelector("#label-status")?.textContent === "svcprint-labels.csv: 7 devices labelled");
  assert.deepEqual(await nameColumns(page), before);

  // Export library: the library `svcprint library` writes for all seven labels.
  const libFile = await download(page, "#export-library");
  assert.deepEqual(JSON.parse(fs.readFileSync(libFile, "utf8")), wantLib);
  const wantImported = wantIdentify(cli(["identify", "--library", libFile, ...FILES]));
  assert.deepEqual(wantImported, wantId);

  // Reload: nothing was saved, so nothing comes back. Without any label, the imported
  // library alone identifies the devices, as `svcprint identify --library` does.
  await page.reload();
  await page.waitForSelector("#file-input", { state: "attached" });
  assert.equal(await page.$("#saved-note"), null);
  assert.equal(await page.$("#label-status"), null);
  await load(page);
  await page.setInputFiles("#library-input", libFile);
  await page.waitForFunction(() => /svcprint-library\.json/.test(document.querySelector("#library-status")?.textContent));
  assert.match(await page.textContent("#library-status"), /^Library in use: svcprint-library\.json \(\d+ fingerprints of 7 labels, G2\), imported/);
  await show(page, "identify");
  await page.waitForSelector("#identify-table tbody tr");
  assert.match(await page.textContent("#identify-library"), /imported from svcprint-library\.json; rho = 0\.85/);
  assert.deepEqual(await identifyRows(page), wantImported);
  // A file that is no library is refused; the one in use stays.
  await page.setInputFiles("#library-input", six);
  await page.waitForSelector("#library-error");
  assert.match(await page.textContent("#library-error"), /^The library was not imported: six\.csv: /);
  assert.match(await page.textContent("#library-status"), /svcprint-library\.json/);
  // Back to the library built from the labels: there are none here.
  await page.click("#library-built");
  await page.waitForSelector("#identify-empty");
  assert.equal(await page.textContent("#library-status"), "Library in use: built from the labelled devices.");
  await page.screenshot({ path: path.join(OUT, "labels-library.png"), fullPage: true });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(app.problems, []);
});

test("the tau slider recomputes while dragged, and only the latest value counts", async () => {
  const page = await app.newPage();
  await load(page);
  await page.setInputFiles("#label-input", LABELS);
  await show(page, "evaluate");
  await page.waitForSelector('#evaluation-table tr[data-representation="G2"]');
  await page.click("#params summary");
  await page.waitForSelector("#recompute-time");
  const first = await page.textContent("#recompute-time");
  const want = wantEvaluation(cli(["evaluate", "--labels", LABELS, "--tau", "0.7", ...FILES]));
  assert.notDeepEqual(want, wantEvaluation(cli(["evaluate", "--labels", LABELS, ...FILES])), "tau matters here");
  // Twenty steps as fast as the keyboard sends them (an `input` event each): 0.90 -> 0.70.
  await page.focus("#param-tau-range");
  const t0 = Date.now();
  for (let i = 0; i < 20; i++) await page.keyboard.press("ArrowLeft");
  const pressed = Date.now() - t0;
  assert.equal(await page.inputValue("#param-tau"), "0.7");
  assert.equal(await page.textContent("#param-tau-shown"), "0.7");
  let got;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    got = await evaluationRows(page);
    if (isDeepStrictEqual(got, want)) break;
    await page.waitForTimeout(20);
  }
  const settled = Date.now() - t0;
  assert.deepEqual(got, want);
  const last = await page.textContent("#recompute-time");
  console.log(`# tau slider: 20 steps pressed in ${pressed} ms, results for the last settled ${settled} ms after the first; ${first} (before), ${last} (after)`);
  // A drag faster than the worker: thirty values in one go (0.69 -> 0.40). The first is
  // computed, the others wait and only the last one is computed next: two results.
  const want40 = wantEvaluation(cli(["evaluate", "--labels", LABELS, "--tau", "0.4", ...FILES]));
  const revision = async () => Number(await page.getAttribute("#results", "data-revision"));
  const r0 = await revision();
  const t1 = Date.now();
  await page.$eval("#param-tau-range", (input) => {
    for (let i = 69; i >= 40; i--) {
      input.value = (i / 100).toFixed(2);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
  await page.waitForFunction((r) => Number(document.querySelector("#results").dataset.revision) >= r + 2, r0, { timeout: 60_000 });
  const coalesced = Date.now() - t1;
  await page.waitForTimeout(500);
  assert.equal(await revision(), r0 + 2, "only the first and the latest value were computed");
  assert.deepEqual(await evaluationRows(page), want40);
  console.log(`# 30 slider values at once: 2 recomputations, results ${coalesced} ms later`);
  await page.$eval("#param-tau-range", (input) => {
    input.value = "0.7";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await page.waitForFunction((r) => Number(document.querySelector("#results").dataset.revision) === r + 3, r0);
  assert.deepEqual(await evaluationRows(page), want);

  // The exporter follows tau: the device table's exports match the CLI at tau 0.7.
  await show(page, "overview");
  const fp = cli(["fingerprint", "--tau", "0.7", ...FILES]);
  const exportsOf = Object.fromEntries(fp.devices.map((d) => [d.key, d.exports.length]));
  const cells = await page.$$eval("#device-table tbody tr", (rs) => rs.map((r) => [r.dataset.key, r.querySelector(".exports").textContent]));
  for (const [key, text] of cells) if (key in exportsOf) assert.equal(Number(text.split(" ")[0]), exportsOf[key], key);
  // Granularity and rho have sliders too, labelled for screen readers.
  for (const p of ["granularity", "rho"]) assert.equal(await page.getAttribute(`#param-${p}-range`, "aria-label"), `${p} slider`);
  assert.deepEqual(app.problems, []);
});

test("saved in this browser only when asked: restored after a reload, cleared, errors reported", async () => {
  const page = await app.newPage();
  const stored = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("svcprint.")).sort());
  await load(page);
  await page.setInputFiles("#label-input", LABELS);
  await page.waitForSelector("#label-status");
  const row = `#device-table tr[data-key="38:d5:47:0c:25:d4"]`;
  await page.click(`${row} .label-open`);
  await page.fill(`${row} .label-name`, "gateway");
  await page.fill(`${row} .label-type`, "router");
  await page.press(`${row} .label-type`, "Enter");
  await page.waitForSelector(`${row} td.kind.inline`);
  // An imported library brings its parameters; rho is changed after it.
  const libFile = path.join(OUT, "saved-lib.json");
  execFileSync(BIN, ["library", ...FILES, "--labels", LABELS, "-o", libFile], { stdio: "ignore" });
  await page.setInputFiles("#library-input", libFile);
  await page.waitForFunction(() => /saved-lib\.json/.test(document.querySelector("#library-status")?.textContent));
  await page.click("#params summary");
  await page.fill("#param-rho", "0.5");
  await page.press("#param-rho", "Enter");
  assert.deepEqual(await stored(), [], "nothing is written unless asked");

  await page.click("#save-browser");
  assert.match(await page.textContent("#saved-note"), /^Saved the labels, library and settings in this browser/);
  assert.deepEqual(await stored(), ["svcprint.saved"]);

  await page.reload();
  await page.waitForSelector("#saved-note");
  assert.equal(await page.textContent("#saved-note"), "Restored saved labels, library and settings from this browser.");
  await page.waitForSelector("#label-status");
  assert.equal(await page.textContent("#label-status"), "unsw7_labels.csv: 7 devices labelled");
  await page.waitForFunction(() => /saved-lib\.json/.test(document.querySelector("#library-status")?.textContent));
  await page.click("#params summary");
  // The restored parameters: rho 0.5 (not the library's 0.85).
  assert.equal(await page.inputValue("#param-rho"), "0.5");
  await load(page);
  assert.equal(await page.textContent(`${row} td.name`), "gateway");
  assert.equal(await page.textContent(`${row} td.kind`), "router");
  await show(page, "identify");
  await page.waitForSelector("#identify-table tbody tr");
  assert.match(await page.textContent("#identify-library"), /imported from saved-lib\.json; rho = 0\.50/);
  const want = wantIdentify(cli(["identify", "--library", libFile, "--rho", "0.5", ...FILES]));
  assert.deepEqual(await identifyRows(page), want);

  // Clear: every svcprint key goes (a remembered column mapping too); after a reload
  // nothing comes back.
  await page.evaluate(() => localStorage.setItem("svcprint.mapping.a\u001fb", "start=a"));
  await page.evaluate(() => localStorage.setItem("other-app", "kept"));
  await page.click("#clear-saved");
  assert.match(await page.textContent("#saved-note"), /^Cleared everything svcprint had saved in this browser \(2 items/);
  assert.deepEqual(await stored(), []);
  await page.reload();
  await page.waitForSelector("#library-status");
  assert.equal(await page.$("#saved-note"), null);
  assert.equal(await page.$("#label-status"), null);
  assert.equal(await page.textContent("#library-status"), "Library in use: built from the labelled devices.");
  assert.equal(await page.evaluate(() => localStorage.getItem("other-app")), "kept");

  // A corrupt stored value is reported and left alone; the page works.
  await page.evaluate(() => localStorage.setItem("svcprint.saved", "{\"version\":1,\"config\":"));
  await page.reload();
  await page.waitForSelector("#saved-note");
  assert.match(await page.textContent("#saved-note"), /^The data saved in this browser could not be read and was not used \(not JSON/);
  await page.evaluate(() => localStorage.setItem("svcprint.saved", "{\"version\":9}"));
  await page.reload();
  await page.waitForSelector("#saved-note");
  assert.match(await page.textContent("#saved-note"), /saved by another version of svcprint \(format 9\)/);
  // A full storage: nothing is saved, and the page says why.
  await page.evaluate(() => {
    Storage.prototype.setItem = function () { throw new DOMException("The quota has been exceeded.", "QuotaExceededError"); };
  });
  await page.click("#save-browser");
  assert.match(await page.textContent("#saved-note"), /^Nothing was saved: the browser's storage for this page is full \(QuotaExceededError/);
  await page.screenshot({ path: path.join(OUT, "labels-saved.png"), fullPage: true });
  assert.deepEqual(app.problems, []);
});
