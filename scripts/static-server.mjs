// A minimal static file server for dist/ on 127.0.0.1 (no dependencies).
//   node scripts/static-server.mjs DIR [PORT]    PORT 0 = any free port
// Prints "svcprint: serving DIR at http://127.0.0.1:PORT/" once listening.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml",
  ".json": "application/json", ".png": "image/png", ".ico": "image/x-icon", ".txt": "text/plain; charset=utf-8",
};

/** Serve DIR on 127.0.0.1:PORT (0 = any free port), under the URL path PREFIX ("/" or "/sub/path/"). */
export function serve(dir, port = 0, prefix = "/") {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    let rel;
    try { rel = decodeURIComponent(new URL(req.url, "http://x").pathname); } catch { res.writeHead(400).end(); return; }
    if (!rel.startsWith(prefix)) { res.writeHead(404, { "content-type": "text/plain" }).end("not found"); return; }
    rel = "/" + rel.slice(prefix.length);
    let file = path.join(root, rel);
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (rel.endsWith("/")) file = path.join(file, "index.html");
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404, { "content-type": "text/plain" }).end("not found"); return; }
      res.writeHead(200, {
        "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "x-content-type-options": "nosniff",
        "cache-control": "no-cache",
      }).end(data);
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir = "dist", port = "0"] = process.argv.slice(2);
  const server = await serve(dir, Number(port));
  console.log(`svcprint: serving ${dir} at http://127.0.0.1:${server.address().port}/`);
}
