// End-to-end: the release build in headless Chromium on real UNSW IoT files agrees with
// the CLI, stays on its own origin and logs no error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { start, dropFiles, deviceRows, cliDevices, UNSW, OUT } from "./harness.mjs";

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

const short = (rfc) => rfc.slice(0, 16).replace("T", " ");

test("dropping two UNSW zips shows the same devices, flows and services as the CLI", async () => {
  const files = [path.join(UNSW, "nature_remo.zip"), path.join(UNSW, "xiaomi_mijia_led.zip")];
  const cli = cliDevices(files);
  const page = await app.newPage();
  await dropFiles(page, files);
  await page.waitForSelector('#device-table tr[data-key="60:01:94:54:6b:e8"]', { timeout: 120_000 });

  // Progress reached all bytes of both files.
  const [value, max] = await page.$eval("#progress-bar", (p) => [p.value, p.max]);
  assert.equal(value, max);
  assert.match(await page.textContent("#progress-text"), /^100% /);

  const rows = await deviceRows(page);
  assert.deepEqual(Object.keys(rows).sort(), cli.devices.map((d) => d.key).sort());
  for (const key of ["60:01:94:54:6b:e8", "78:11:dc:55:76:4c"]) {
    const want = cli.devices.find((d) => d.key === key);
    assert.ok(want, `CLI lists ${key}`);
    assert.ok(want.flows > 100_000, `${key} is a main device`);
    assert.deepEqual(rows[key], {
      flows: want.flows,
      active: want.active_bins,
      nservices: want.services.length,
      top: want.services.slice(0, 3).map((s) => s.service),
      first: short(want.first),
      last: short(want.last),
    }, key);
  }

  // The selected device's service table equals the CLI's list, and the chart is drawn.
  await page.click('#device-table tr[data-key="78:11:dc:55:76:4c"] button');
  await page.waitForSelector('#device-detail[data-key="78:11:dc:55:76:4c"]');
  const services = await page.$$eval("#service-table tbody tr", (rs) => rs.map((r) => {
    const c = r.querySelectorAll("td");
    return { service: c[0].textContent, prevalence: c[1].textContent, flows: Number(c[2].textContent) };
  }));
  const want = cli.devices.find((d) => d.key === "78:11:dc:55:76:4c").services;
  assert.deepEqual(services, want.map((s) => ({ service: s.service, prevalence: s.prevalence.toFixed(3), flows: s.flows })));
  assert.equal(services[0].service, "TCP/80");
  const inked = await page.$eval("#service-chart", (c) => {
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] === 0x1f && d[i + 1] === 0x5f && d[i + 2] === 0x8b) n++;
    return n;
  });
  assert.ok(inked > 500, `bars drawn in the chart (${inked} bar pixels)`);

  await page.screenshot({ path: path.join(OUT, "skeleton-devices.png"), fullPage: true });
  assert.deepEqual(app.problems, []);
});

test("a file that is not flow data is reported while the good file still loads", async () => {
  const page = await app.newPage();
  const good = path.join(UNSW, "mouse_computer_room_hub.zip");
  const cli = cliDevices([good]);
  await page.setInputFiles("#file-input", [
    { name: path.basename(good), mimeType: "application/zip", buffer: fs.readFileSync(good) },
    { name: "photo.png", mimeType: "image/png", buffer: Buffer.from("89504e470d0a1a0a0000000d49484452", "hex") },
  ]);
  await page.waitForSelector("#device-table tbody tr", { timeout: 60_000 });
  const rows = await deviceRows(page);
  assert.deepEqual(Object.keys(rows).sort(), cli.devices.map((d) => d.key).sort());
  const files = await page.$$eval("#files li.file", (ls) => ls.map((l) => l.textContent));
  assert.equal(files.length, 2);
  const bad = files.find((t) => t.startsWith("photo.png"));
  assert.match(bad, /unknown_format/);
  assert.ok(!files.find((t) => t.startsWith("mouse_computer_room_hub.zip")).includes("problems"));
  await page.screenshot({ path: path.join(OUT, "skeleton-bad-file.png"), fullPage: true });
  assert.deepEqual(app.problems, []);
});
