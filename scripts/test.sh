#!/usr/bin/env bash
# Install everything the tests need, then run them. This is the README's second command
# and exactly what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: Debian's chromium drives the browser tests of the HTML pages (through
# Playwright, which never downloads a browser of its own here).
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

python3 -m pip install -q -e '.[test]'
exec python3 -m pytest "$@"
