// End-to-end: an exporter's template file and its data files picked together (the
// picker gives them in alphabetical order, data first) are read template file first,
// so every data record decodes as `svcprint decode TPL DATA...` counts it; a data file
// alone says its templates are missing and how to give them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { start, cli, CORPUS, OUT } from "./harness.mjs";

let app;
before(async () => { app = await start(); });
after(async () => { await app?.stop(); });

const DIR = path.join(CORPUS, "logstash-codec-netflow");
const TPL = path.join(DIR, "ipfix_test_mikrotik_tpl.dat");
const DATA = ["ipfix_test_mikrotik_data258.dat", "ipfix_test_mikrotik_data259.dat"].map((f) => path.join(DIR, f));
const fileRows = (page) => page.$$eval("#files > ul > li", (ls) => ls.map((l) => l.textContent));

test("template files are read first whatever the order given; a data file alone says why it has no records", async () => {
  const want = cli(["decode", TPL, ...DATA]);
  assert.deepEqual(want.files.map((f) => f.records), [0, 28, 18]);

  const page = await app.newPage();
  await page.setInputFiles("#file-input", [...DATA, TPL]);
  await page.waitForFunction(() => /100%/.test(document.querySelector("#progress-text")?.textContent ?? ""), null, { timeout: 60_000 });
  await page.waitForSelector("#files");
  const rows = await fileRows(page);
  assert.equal(rows.length, 3);
  assert.match(rows[0], /^ipfix_test_mikrotik_tpl\.dat — ipfix · 0 records$/);
  assert.match(rows[1], /^ipfix_test_mikrotik_data258\.dat — ipfix · 28 records$/);
  assert.match(rows[2], /^ipfix_test_mikrotik_data259\.dat — ipfix · 18 records$/);
  assert.equal(await page.$(".missing-template"), null);

  const alone = await app.newPage();
  await alone.setInputFiles("#file-input", DATA[0]);
  await alone.waitForSelector("#files .missing-template", { timeout: 60_000 });
  const [row] = await fileRows(alone);
  assert.match(row, /^ipfix_test_mikrotik_data258\.dat — ipfix · 0 records · 1 problem/);
  assert.match(row, /no template 258/);
  assert.match(await alone.textContent("#files .missing-template"), /drop both files together/);
  await alone.screenshot({ path: path.join(OUT, "missing-template.png"), fullPage: true });
  assert.deepEqual(app.problems, []);
});
