#!/usr/bin/env bash
# Builds the release app (wasm-opt included) and serves dist/ on 127.0.0.1.
#   scripts/serve.sh [PORT]     default: a free port, printed
# Installs missing build tools first (scripts/setup.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PATH="$("$ROOT/scripts/setup.sh")"; export PATH
cd "$ROOT"
trunk build --release --offline
exec node "$ROOT/scripts/static-server.mjs" "$ROOT/dist" "${1:-0}"
