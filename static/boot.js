// Starts the svcprint wasm app. Trunk fills in the hashed file names as data attributes on
// the <script id="svcprint-boot"> tag (Trunk.toml pattern_script); keeping this out of an
// inline script lets the Content-Security-Policy forbid inline scripts.

// plotters measures text with a detached <span> whose style it sets with
// setAttribute("style", ...), which our CSP (style-src 'self', no 'unsafe-inline') blocks.
// For exactly that case (a span not yet in the document) apply the same declarations
// through the CSSOM, which the CSP allows; everything else goes through unchanged.
const setAttribute = Element.prototype.setAttribute;
Element.prototype.setAttribute = function (name, value) {
  if (name === "style" && this instanceof HTMLSpanElement && !this.isConnected) {
    this.style.cssText = String(value);
    return;
  }
  return setAttribute.call(this, name, value);
};

const tag = document.getElementById("svcprint-boot");
const app = await import(tag.dataset.js);
await app.default({ module_or_path: tag.dataset.wasm });
