// End-to-end: dist/ works from a sub-path of a static host (relative URLs everywhere,
// the worker included), with the same strict CSP and no request outside the origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { start, OUT } from "./harness.mjs";

let app;
before(async () => { app = await start("/tools/svcprint/"); });
after(async () => { await app?.stop(); });

test("the app and its worker run from a sub-path", async () => {
  const page = await app.newPage();
  await page.click("#demo");
  await page.waitForSelector("#device-table tbody tr", { timeout: 30_000 });
  assert.equal(await page.$$eval("#device-table tbody tr", (r) => r.length), 15);
  // The worker was loaded from the sub-path, and every resource the page fetched too.
  const workers = page.workers().map((w) => new URL(w.url()).pathname);
  assert.deepEqual(workers, ["/tools/svcprint/worker_loader.js"]);
  const resources = await page.evaluate(() => [location.pathname, ...performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname)]);
  assert.ok(resources.length >= 5, resources.join(" "));
  assert.ok(resources.every((p) => p.startsWith("/tools/svcprint/")), resources.join(" "));
  // The CSP is the page's own, as a meta tag (static hosts cannot be counted on for headers).
  const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
  for (const d of ["default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self'", "style-src 'self'"]) {
    assert.ok(csp.includes(d), d);
  }
  assert.ok(!csp.includes("unsafe-inline"));
  await page.screenshot({ path: path.join(OUT, "subpath-demo.png") });
  assert.deepEqual(app.problems, []);
});
