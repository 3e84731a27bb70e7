// End-to-end: a CSV whose header no dialect knows is reported with a "Map columns" offer;
// the mapping (with a time zone) loads it, "remember" keeps it for the same header in this
// browser only, and "forget" removes it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { start, deviceRows, OUT } from "./harness.mjs";

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

const ODD = Buffer.from(
  "When;From;To;Proto;SPort;DPort\n" +
  "2024-05-01 10:00:00;192.168.1.20;8.8.8.8;udp;40000;53\n" +
  "2024-05-01 10:20:00;192.168.1.20;1.1.1.1;tcp;40001;443\n");
const file = { name: "odd.csv", mimeType: "text/csv", buffer: ODD };

test("an unknown header is mapped by hand, remembered on request, and forgotten", async () => {
  const page = await app.newPage();
  await page.setInputFiles("#file-input", [file]);
  await page.waitForSelector("#files .map-columns");
  assert.match(await page.textContent("#files"), /odd\.csv — csv · 0 records Map columns… · 1 problem(?!s)/);
  assert.match(await page.textContent("#files"), /missing_column/);

  await page.click("#files .map-columns");
  await page.waitForSelector("#mapper");
  assert.deepEqual(await page.$$eval("#mapper-preview th", (t) => t.map((x) => x.textContent)), ["When", "From", "To", "Proto", "SPort", "DPort"]);
  // An incomplete mapping is refused with the fields it lacks.
  await page.selectOption("#map-start", "When");
  await page.click("#map-apply");
  assert.equal(await page.textContent("#mapper-error"), "map at least proto, src_ip, dst_ip");
  for (const [k, c] of [["src_ip", "From"], ["dst_ip", "To"], ["proto", "Proto"], ["src_port", "SPort"], ["dst_port", "DPort"]]) {
    await page.selectOption(`#map-${k}`, c);
  }
  await page.fill("#map-time-zone", "+02:00");
  await page.check("#map-remember");
  await page.click("#map-apply");
  await page.waitForSelector('#device-table tr[data-key="192.168.1.20"]');
  let rows = await deviceRows(page);
  assert.deepEqual(rows["192.168.1.20"].top, ["TCP/443", "UDP/53"]);
  assert.equal(rows["192.168.1.20"].first, "2024-05-01 08:00", "10:00 at +02:00 is 08:00 UTC");
  assert.match(await page.textContent("#files"), /odd\.csv — csv-mapped · 2 records/);
  await page.screenshot({ path: path.join(OUT, "mapping.png"), fullPage: true });

  // Remembered for this header: a fresh page load maps it at once (the time zone is not kept).
  await page.reload();
  await page.waitForSelector("#file-input", { state: "attached" });
  await page.setInputFiles("#file-input", [file]);
  await page.waitForSelector('#device-table tr[data-key="192.168.1.20"]');
  rows = await deviceRows(page);
  assert.equal(rows["192.168.1.20"].first, "2024-05-01 10:00");

  // Forgotten: the next load asks again.
  await page.click("#params summary");
  await page.click("#forget-mappings");
  await page.reload();
  await page.waitForSelector("#file-input", { state: "attached" });
  await page.setInputFiles("#file-input", [file]);
  await page.waitForSelector("#files .map-columns");
  assert.deepEqual(app.problems, []);
});
