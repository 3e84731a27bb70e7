// Shared harness of the end-to-end tests: serves dist/ on 127.0.0.1, launches Debian's
// chromium through playwright-core (never a downloaded browser), and records console
// errors and every request to an origin other than the page's own.
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../../scripts/static-server.mjs";

const require = createRequire(new URL("../../scripts/package.json", import.meta.url));
const { chromium } = require("playwright-core");

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CORPUS = path.resolve(ROOT, process.env.SVCPRINT_CORPUS ?? "../shared/corpus");
export const OUT = path.join(ROOT, "tests/e2e/out");
export const UNSW = path.join(CORPUS, "unsw-ipfix-iot-2019");

/** The CLI's JSON output for `svcprint ARGS... --json` (the release binary the test script built). */
export function cli(args) {
  const bin = process.env.SVCPRINT_BIN ?? path.join(ROOT, "target/release/svcprint");
  return JSON.parse(execFileSync(bin, [...args, "--json"], { maxBuffer: 64 << 20 }).toString());
}

/** The CLI's JSON for `svcprint devices --json FILES`. */
export function cliDevices(files, flags = []) {
  return cli(["devices", ...flags, ...files]);
}

/** Serve dist/ (under `prefix`, e.g. "/tools/svcprint/" for a sub-path host) and start chromium. */
export async function start(prefix = "/") {
  if (!fs.existsSync(path.join(ROOT, "dist/index.html"))) throw new Error("dist/ is missing: run trunk build --release first");
  if (!fs.existsSync(UNSW)) throw new Error(`corpus not found at ${CORPUS} (set SVCPRINT_CORPUS)`);
  fs.mkdirSync(OUT, { recursive: true });
  const server = await serve(path.join(ROOT, "dist"), 0, prefix);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const executablePath = process.env.CHROMIUM ?? execFileSync("sh", ["-c", "command -v chromium"]).toString().trim();
  // Playwright gives the browser a fresh temporary profile of its own.
  let browser;
  try {
    browser = await chromium.launch({
      executablePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"],
    });
  } catch (e) {
    server.close();
    throw e;
  }
  const problems = [];
  async function newPage(viewport = { width: 1280, height: 800 }) {
    const page = await browser.newPage({ viewport });
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("request", (r) => {
      const u = new URL(r.url());
      if (!["data:", "blob:"].includes(u.protocol) && u.origin !== origin) problems.push(`request to another origin: ${r.url()}`);
    });
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    await page.goto(`${origin}${prefix}`);
    await page.waitForSelector("#file-input", { state: "attached" });
    return page;
  }
  async function stop() {
    await browser.close();
    server.close();
  }
  return { origin, newPage, problems, stop };
}

/** Drop real files on the drop zone (a DataTransfer built in the page from their bytes). */
export async function dropFiles(page, files) {
  const payload = files.map((f) => ({ name: path.basename(f), b64: fs.readFileSync(f).toString("base64") }));
  await page.evaluate((items) => {
    const dt = new DataTransfer();
    for (const { name, b64 } of items) {
      const bin = atob(b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], name));
    }
    const zone = document.getElementById("drop-zone");
    zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, payload);
}

/** The device table as objects, keyed by device. */
export async function deviceRows(page) {
  return page.$$eval("#device-table tbody tr", (rows) => Object.fromEntries(rows.map((r) => [r.dataset.key, {
    flows: Number(r.querySelector(".flows").textContent),
    active: Number(r.querySelector(".active").textContent),
    nservices: Number(r.querySelector(".nservices").textContent),
    top: r.querySelector(".top").textContent.split(", ").filter(Boolean),
    first: r.querySelector(".first").textContent,
    last: r.querySelector(".last").textContent,
  }])));
}
