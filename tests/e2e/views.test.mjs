// End-to-end: the result views on the seven UNSW devices with their labels. The Identify
// view shows what `svcprint identify` prints against the library `svcprint library` builds;
// the heatmaps are drawn and their SVG and PNG downloads parse; every view works from the
// keyboard and at phone width. A screenshot of each view goes to tests/e2e/out/views/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { start, cli, ROOT, UNSW, OUT } from "./harness.mjs";

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

const LABELS = path.join(ROOT, "crates/svcprint-cli/tests/unsw7_labels.csv");
const BIN = process.env.SVCPRINT_BIN ?? path.join(ROOT, "target/release/svcprint");
const SHOTS = path.join(OUT, "views");

/** Pixels of a canvas in colour (not white, grey or black): drawn cells, bars, curves. */
async function colouredPixels(page, selector) {
  return page.$eval(selector, (c) => {
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 20) n++;
    }
    return n;
  });
}

async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const file = path.join(OUT, d.suggestedFilename());
  await d.saveAs(file);
  return { name: d.suggestedFilename(), bytes: fs.readFileSync(file) };
}

/** The chart's SVG and PNG downloads parse, and the PNG has the canvas' size. */
async function checkExports(page, id, mustContain) {
  const [w, h] = await page.$eval(`#${id}`, (c) => [c.width, c.height]);
  const svg = (await download(page, `#${id}-svg`)).bytes.toString();
  assert.ok(svg.startsWith(`<svg width="${w}" height="${h}"`), svg.slice(0, 120));
  assert.ok(svg.trimEnd().endsWith("</svg>"));
  for (const text of mustContain) assert.ok(svg.includes(`>\n${text}\n<`) || svg.includes(text), `${id}.svg lacks ${text}`);
  const png = (await download(page, `#${id}-png`)).bytes;
  assert.equal(png.subarray(0, 8).toString("hex"), "89504e470d0a1a0a");
  assert.equal(png.subarray(12, 16).toString(), "IHDR");
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [w, h]);
}

async function show(page, view) {
  await page.click(`#tab-${view}`);
  await page.waitForSelector(`#view-${view}`);
  assert.equal(await page.getAttribute(`#tab-${view}`, "aria-selected"), "true");
}

test("overview, device, similarity, identify and evaluate views on the UNSW devices", async () => {
  const files = fs.readdirSync(UNSW).filter((f) => f.endsWith(".zip")).sort().map((f) => path.join(UNSW, f));
  assert.equal(files.length, 7);
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svcprint-views-"));
  const lib = path.join(dir, "lib.json");
  execFileSync(BIN, ["library", ...files, "--labels", LABELS, "-o", lib], { stdio: "ignore" });
  const want = cli(["identify", "--library", lib, ...files]);
  fs.rmSync(dir, { recursive: true, force: true });

  const page = await app.newPage();
  await page.setInputFiles("#file-input", files);
  await page.waitForSelector("#device-table tbody tr", { timeout: 180_000 });
  // Before labels: Identify explains what it needs.
  await show(page, "identify");
  await page.waitForSelector("#identify-empty");
  await page.setInputFiles("#label-input", LABELS);
  await page.waitForSelector("#identify-table tbody tr");

  // Identify: the same answers, scores and top 3 as the CLI, device by device.
  const rows = await page.$$eval("#identify-table tbody tr", (rs) => rs.map((r) => ({
    key: r.dataset.key,
    answer: r.querySelector(".answer").textContent,
    score: r.querySelector(".score").textContent,
    top: r.querySelector(".top").textContent,
  })));
  assert.deepEqual(rows, want.devices.map((d) => ({
    key: d.key,
    answer: d.answer,
    score: d.score.toFixed(3),
    top: d.top.map((t) => `${t.label} ${t.score.toFixed(3)}`).join(", "),
  })));
  assert.ok(rows.some((r) => r.answer === "unknown"), "an unlabelled device is unknown");
  assert.ok(rows.some((r) => r.answer === "ambiguous"), "the twin cameras tie");
  assert.match(await page.textContent("#identify-library"), new RegExp(`^Library: \\d+ fingerprints of 7 labels \\(G2\\)`));
  // An unknown device sharing nothing says so; the evidence of one that shares some
  // services equals the CLI's, service by service.
  const none = want.devices.find((d) => d.answer === "unknown" && d.score === 0);
  assert.equal(await page.textContent(`#identify-table tr[data-key="${none.key}"] .why`), "shares no service with any fingerprint of the library");
  const unknown = want.devices.find((d) => d.answer === "unknown" && d.score > 0);
  assert.ok(unknown.evidence.shared.length > 0);
  await page.click(`#identify-table tr[data-key="${unknown.key}"] button`);
  await page.waitForSelector(`#evidence[data-key="${unknown.key}"]`);
  assert.match(await page.textContent(`#identify-table tr[data-key="${unknown.key}"] .why`), /is below rho 0\.85/);
  const evidence = async (id) => page.$$eval(`#${id} tbody tr[data-service]`, (rs) => rs.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)));
  const items = (v) => v.map((i) => [i.service, i.query.toFixed(3), i.matched.toFixed(3), i.share.toFixed(3)]);
  assert.deepEqual(await evidence("evidence-shared"), items(unknown.evidence.shared));
  assert.deepEqual(await evidence("evidence-extra"), items(unknown.evidence.only_query));
  assert.deepEqual(await evidence("evidence-missing"), items(unknown.evidence.only_match));
  await page.screenshot({ path: path.join(SHOTS, "identify.png"), fullPage: true });

  // Overview: the prevalence heatmap is drawn and exports.
  await show(page, "overview");
  await page.waitForSelector("#prevalence-chart");
  const overviewInk = await colouredPixels(page, "#prevalence-chart");
  assert.ok(overviewInk > 5000, `heatmap cells drawn (${overviewInk} coloured pixels)`);
  await checkExports(page, "prevalence-chart", ["UDP/53", "nature_remo"]);
  // 138 services here: the 60 used by the most devices are drawn, and the page says so.
  assert.match(await page.textContent("#prevalence-map-note"), /^Showing 60 of \d+ services \(those used by the most devices\) \(/);
  await page.screenshot({ path: path.join(SHOTS, "overview.png"), fullPage: true });

  // Device: choosing a device in the table opens its view.
  await page.click('#device-table tr[data-key="78:11:dc:55:76:4c"] button');
  await page.waitForSelector('#device-detail[data-key="78:11:dc:55:76:4c"]');
  assert.equal(await page.getAttribute("#tab-device", "aria-selected"), "true");
  assert.ok(await colouredPixels(page, "#service-chart") > 500);
  await page.screenshot({ path: path.join(SHOTS, "device.png"), fullPage: true });

  // Similarity: the clustered heatmap is drawn and exports; the most similar pair listed.
  await show(page, "similarity");
  await page.waitForSelector("#similarity-chart");
  const simInk = await colouredPixels(page, "#similarity-chart");
  assert.ok(simInk > 5000, `similarity cells drawn (${simInk} coloured pixels)`);
  await checkExports(page, "similarity-chart", ["nature_remo", "similarity"]);
  const pairs = await page.$$eval("#similar-pairs tbody tr", (rs) => rs.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)));
  assert.equal(pairs.length, 10);
  const sims = pairs.map((p) => Number(p[2]));
  assert.deepEqual(sims, [...sims].sort((a, b) => b - a), "pairs by similarity");
  await page.screenshot({ path: path.join(SHOTS, "similarity.png"), fullPage: true });

  // Evaluate, reached from the keyboard: the tab bar is one tab stop, arrows move.
  await page.focus("#tab-similarity");
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.evaluate(() => document.activeElement.id), "tab-identify");
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.evaluate(() => document.activeElement.id), "tab-evaluate");
  await page.waitForSelector('#evaluation-table tr[data-representation="G2"]');
  assert.ok(await colouredPixels(page, "#open-set-chart") > 500);
  await checkExports(page, "open-set-chart", ["balanced accuracy"]);
  await page.screenshot({ path: path.join(SHOTS, "evaluate.png"), fullPage: true });
  assert.deepEqual(app.problems, []);
});

test("every view fits a phone screen", async () => {
  const phone = await app.newPage({ width: 390, height: 844 });
  await phone.click("#demo");
  await phone.waitForSelector("#device-table tbody tr", { timeout: 30_000 });
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const view of ["overview", "device", "similarity", "identify", "evaluate"]) {
    await show(phone, view);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${view} overflows a phone screen by ${overflow}px`);
    // Charts keep their drawn size (legible labels) and scroll sideways in their frame.
    const shrunk = await phone.$$eval("figure.chart canvas", (cs) => cs.filter((c) => c.clientWidth + 2 < c.width).map((c) => `${c.id} ${c.clientWidth}/${c.width}`));
    assert.deepEqual(shrunk, [], `${view}: charts scaled down instead of scrolling`);
    await phone.screenshot({ path: path.join(SHOTS, `${view}-phone.png`), fullPage: true });
  }
  assert.deepEqual(app.problems, []);
});
