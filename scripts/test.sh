#!/usr/bin/env bash
# Runs every svcprint test: formatting and lints, the purity check of the core crates,
# the component tests (Yew components in a real DOM, wasm-bindgen-test in headless Chromium),
# native unit/integration/corpus tests, the release build of the app (wasm-opt included)
# and the end-to-end tests in headless Chromium. Installs what is missing first
# (scripts/setup.sh --browser); a quick no-op when all is present.
# The corpus is read from $SVCPRINT_CORPUS (default ../shared/corpus).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PATH="$("$ROOT/scripts/setup.sh" --browser)"; export PATH
export SVCPRINT_CORPUS="${SVCPRINT_CORPUS:-$ROOT/../shared/corpus}"
step() { printf '\n==> %s\n' "$*"; }

step "corpus at $SVCPRINT_CORPUS"
[[ -f "$SVCPRINT_CORPUS/README.md" ]] || { echo "corpus not found: set SVCPRINT_CORPUS" >&2; exit 1; }

step "the core crates depend on no browser crate"
"$ROOT/scripts/check-pure.sh"

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (native, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo clippy (the web app for wasm32)"
cargo clippy --target wasm32-unknown-unknown -p svcprint-web --locked -- -D warnings

step "component tests in headless Chromium (wasm-bindgen-test, tests/components.rs)"
"$ROOT/scripts/component-tests.sh"

step "cargo test (native: unit, property, corpus)"
cargo test --workspace --locked

step "svcprint CLI (release, the e2e tests compare against it)"
cargo build --release --locked -p svcprint-cli

step "trunk build --release (wasm-opt)"
trunk build --release --offline --locked

step "end-to-end tests in headless Chromium"
node --test "$ROOT/tests/e2e/"
