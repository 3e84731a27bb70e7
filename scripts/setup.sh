#!/usr/bin/env bash
# Installs what building and testing svcprint needs, and is a quick no-op when it is
# all present (see ../shared/toolchain.md for why each version).
#   scripts/setup.sh            build tools: wasm32 target, trunk, wasm-bindgen-cli, npm tools
#   scripts/setup.sh --browser  the same plus Debian's chromium and chromium-driver (tests)
# Prints the PATH to use; source-able: `. scripts/setup.sh` exports it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
want_browser=0
[[ "${1:-}" == "--browser" ]] && want_browser=1

export PATH="$ROOT/scripts/node_modules/.bin:$HOME/.cargo/bin:$PATH"
say() { printf 'setup: %s\n' "$*" >&2; }

# wasm-bindgen-cli must equal the wasm-bindgen version in Cargo.lock.
WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' "$ROOT/Cargo.lock")"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown >&2
fi

if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
  say "installing trunk $TRUNK_VERSION (about 10 minutes, once)"
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install trunk --version "$TRUNK_VERSION" --locked >&2
fi

if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WBG_VERSION" ]]; then
  say "installing wasm-bindgen-cli $WBG_VERSION (about 4 minutes, once)"
  # Not --locked: its lockfile pins a crate version the registry here lacks.
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm-bindgen-cli --version "$WBG_VERSION" >&2
fi

# npm tools: wasm-opt (binaryen; Debian's is too old) and playwright-core.
if [[ ! -x "$ROOT/scripts/node_modules/.bin/wasm-opt" ]] \
   || ! "$ROOT/scripts/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION" \
   || [[ ! -d "$ROOT/scripts/node_modules/playwright-core" ]] \
   || [[ "$ROOT/scripts/package-lock.json" -nt "$ROOT/scripts/node_modules/.package-lock.json" ]]; then
  say "installing npm tools (binaryen, playwright-core)"
  (cd "$ROOT/scripts" && npm ci --no-audit --no-fund >&2)
fi

if (( want_browser )) && ! { command -v chromium >/dev/null && command -v chromedriver >/dev/null; }; then
  say "installing Debian's chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium chromium-driver >&2
fi

# Debian's binaryen (if installed) is too old; ours must come first on PATH.
if [[ "$(command -v wasm-opt)" != "$ROOT/scripts/node_modules/.bin/wasm-opt" ]]; then
  say "error: wasm-opt on PATH is not $ROOT/scripts/node_modules/.bin/wasm-opt"; exit 1
fi
echo "$PATH"
