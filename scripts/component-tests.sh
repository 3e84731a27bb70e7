#!/usr/bin/env bash
# Runs the component tests (tests/components.rs: Yew components mounted in a real DOM) in
# Debian's headless Chromium through wasm-bindgen-test-runner (from wasm-bindgen-cli, which
# scripts/setup.sh installs at the wasm-bindgen version of Cargo.lock).
# Arguments go to the test harness: `scripts/component-tests.sh device_table` runs the
# tests whose name contains `device_table`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PATH="$("$ROOT/scripts/setup.sh" --browser)"; export PATH

chromium="$(command -v chromium)"
chromedriver="$(command -v chromedriver)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The runner adds --headless, --no-sandbox (needed as root) and --disable-dev-shm-usage;
# these keep Chromium off the network (the machine has none) and start from a fresh profile.
cat >"$tmp/webdriver.json" <<JSON
{
  "goog:chromeOptions": {
    "binary": "$chromium",
    "args": ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--user-data-dir=$tmp/profile"]
  }
}
JSON
export CHROMEDRIVER="$chromedriver"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$tmp/webdriver.json"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
# The test file is wasm32-only: the native and wasm32 clippy steps of test.sh do not lint it.
cargo clippy --target wasm32-unknown-unknown -p svcprint-web --test components --locked -- -D warnings
cargo test --target wasm32-unknown-unknown -p svcprint-web --test components --locked -- "$@"
