#!/usr/bin/env bash
# Proves the core crates never depend on a browser crate (ARCHITECTURE.md invariant):
# `cargo tree -e normal` of each must list none of yew, gloo*, web-sys, js-sys, wasm-bindgen*.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
status=0
for crate in svcprint-flow svcprint-engine svcprint-sim svcprint-cli; do
  bad="$(cargo tree -p "$crate" -e normal --prefix none --locked | awk '{print $1}' \
         | grep -E '^(yew|yew-.*|gloo|gloo-.*|web-sys|js-sys|wasm-bindgen|wasm-bindgen-.*)$' | sort -u || true)"
  if [[ -n "$bad" ]]; then
    echo "check-pure: $crate depends on browser crates: $bad" >&2
    status=1
  else
    echo "check-pure: $crate ok ($(cargo tree -p "$crate" -e normal --prefix none --locked | awk '{print $1}' | sort -u | wc -l) crates)"
  fi
done
# The check itself must be able to fail: the web app does depend on them.
if ! cargo tree -p svcprint-web -e normal --prefix none --locked --target wasm32-unknown-unknown | grep -q '^yew '; then
  echo "check-pure: self-test failed (svcprint-web should list yew)" >&2
  status=1
fi
exit $status
