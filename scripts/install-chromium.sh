#!/usr/bin/env bash
# Installs Debian's Chromium for the console's browser tests (internal/console, driven with chromedp).
# Idempotent: does nothing when a chromium binary is already on PATH. Needs root or passwordless sudo and
# Debian's package mirror; without them it says so and exits 0, and the browser tests skip with that message.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "install-chromium: $(chromium --version 2>/dev/null | head -1) is already installed"
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "install-chromium: not root and no passwordless sudo; the browser tests will skip" >&2
    exit 0
  fi
fi
command -v apt-get >/dev/null || { echo "install-chromium: no apt-get; install Chromium yourself, the browser tests will skip" >&2; exit 0; }
echo "install-chromium: apt-get install chromium"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null || true
if ! $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; then
  echo "install-chromium: apt-get install failed; the browser tests will skip" >&2
  exit 0
fi
echo "install-chromium: $(chromium --version 2>/dev/null | head -1)"
