// End-to-end: the Device view on a real UNSW file. The device's exports (window, n, hours,
// stable, services with weights), convergence and recurrence equal what
// `svcprint fingerprint --json` prints for the same file, before and after a parameter
// change; the activity raster and the exporter timeline are drawn and their SVG and PNG
// downloads parse. Screenshots go to tests/e2e/out/views/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { start, cli, UNSW, OUT } from "./harness.mjs";

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

const FILE = path.join(UNSW, "mouse_computer_room_hub.zip");
const SHOTS = path.join(OUT, "views");

/** Pixels of a canvas in colour (not white, grey or black). */
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
  const svg = await download(page, `#${id}-svg`);
  const text = svg.bytes.toString();
  assert.ok(text.startsWith(`<svg width="${w}" height="${h}"`), text.slice(0, 120));
  assert.ok(text.trimEnd().endsWith("</svg>"));
  for (const t of mustContain) assert.ok(text.includes(t), `${svg.name} lacks ${t}`);
  const png = (await download(page, `#${id}-png`)).bytes;
  assert.equal(png.subarray(0, 8).toString("hex"), "89504e470d0a1a0a");
  assert.equal(png.subarray(12, 16).toString(), "IHDR");
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [w, h]);
}

/** The exports table, the open window and the M9 table as the page shows them. */
async function shown(page) {
  return page.evaluate(() => {
    const row = (r) => ({
      first: r.querySelector(".first").textContent,
      last: r.querySelector(".last").textContent,
      n: Number(r.dataset.n),
      hours: Number(r.dataset.hours),
      stable: r.dataset.stable === "true",
      services: [...r.querySelectorAll("li[data-service]")].map((li) => [li.dataset.service, Number(li.dataset.weight)]),
    });
    const value = (id) => {
      const v = document.getElementById(id).dataset.value;
      return v === "" ? null : Number(v);
    };
    return {
      exports: [...document.querySelectorAll("#export-table tbody tr:not(.pending)")].map(row),
      pending: [...document.querySelectorAll("#export-table tbody tr.pending")].map(row)[0] ?? null,
      convergence: {
        exports: value("m9-exports"),
        unstable: value("m9-unstable"),
        median_bins: value("m9-median-bins"),
        median_hours: value("m9-median-hours"),
        unstable_share: value("m9-unstable-share"),
      },
      recurrence: { recurring: value("m9-recurring"), rate: value("m9-rate"), behaviours: value("m9-behaviours") },
    };
  });
}

/** What the CLI printed for device `d`, in the same shape. */
function expected(d) {
  const row = (e) => ({
    first: e.window.first,
    last: e.window.last,
    n: e.window.n,
    hours: e.window.hours,
    stable: e.stable,
    services: e.services.map((s) => [s.service, s.weight]),
  });
  return {
    exports: d.exports.map(row),
    pending: d.pending ? row(d.pending) : null,
    convergence: d.convergence,
    recurrence: d.recurrence,
  };
}

/** Wait until the Device view shows the detail of `key` made with representation `rep`. */
async function waitForDetail(page, key, rep) {
  await page.waitForSelector(`#device-detail[data-key="${key}"] #export-table`);
  await page.waitForFunction((r) => document.getElementById("timeline-text")?.dataset.representation === r, rep);
}

test("the Device view shows the CLI's exports, convergence and recurrence, and draws its time charts", async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const want = cli(["fingerprint", FILE]);
  // The device with the most exports (the hub itself).
  const dev = [...want.devices].sort((a, b) => b.exports.length - a.exports.length || a.key.localeCompare(b.key))[0];
  assert.ok(dev.exports.length >= 2, `${dev.key} has ${dev.exports.length} exports`);

  const page = await app.newPage();
  await page.setInputFiles("#file-input", [FILE]);
  await page.waitForSelector("#device-table tbody tr", { timeout: 120_000 });
  await page.click(`#device-table tr[data-key="${dev.key}"] button`);
  await waitForDetail(page, dev.key, "G2");
  assert.equal(await page.getAttribute("#tab-device", "aria-selected"), "true");

  // The numbers: exactly the CLI's (the page keeps them exact in data attributes).
  const got = await shown(page);
  assert.deepEqual(got, expected(dev));
  // The visible text rounds the same numbers.
  const firstRow = await page.$$eval("#export-table tbody tr", (rs) => [...rs[0].querySelectorAll("td")].map((td) => td.textContent));
  assert.equal(firstRow[3], String(dev.exports[0].window.n));
  assert.equal(firstRow[5], dev.exports[0].stable ? "stable" : "unstable");
  assert.equal(await page.textContent("#m9-rate td"), dev.recurrence.rate === null ? "–" : dev.recurrence.rate.toFixed(3));

  // The timeline's text counts the exporter's steps and exports as the CLI does.
  const stable = dev.exports.filter((e) => e.stable).length;
  assert.match(await page.textContent("#timeline-text"),
    new RegExp(`Here: ${dev.active_bins} active hours, ${stable} stable and ${dev.exports.length - stable} unstable exports\\.$`));

  // The raster and the timeline are drawn and export as SVG and PNG.
  const rasterInk = await colouredPixels(page, "#raster-chart");
  const timelineInk = await colouredPixels(page, "#timeline-chart");
  assert.ok(rasterInk > 2000, `raster cells drawn (${rasterInk} coloured pixels)`);
  assert.ok(timelineInk > 1000, `timeline drawn (${timelineInk} coloured pixels)`);
  await checkExports(page, "raster-chart", ["Activity", dev.exports[0].services[0].service]);
  await checkExports(page, "timeline-chart", ["tau = 0.90", "similarity to the previous step"]);
  await page.screenshot({ path: path.join(SHOTS, "device-exports.png"), fullPage: true });

  // Another representation: the detail is made again and still equals the CLI's.
  const sp = cli(["fingerprint", "--representation", "SP", FILE]).devices.find((d) => d.key === dev.key);
  await page.click("#params summary");
  await page.selectOption("#param-representation", "SP");
  await waitForDetail(page, dev.key, "SP");
  assert.deepEqual(await shown(page), expected(sp));
  assert.deepEqual(app.problems, []);
});
