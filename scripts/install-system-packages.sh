#!/usr/bin/env bash
# Installs the Debian packages the portal needs at build, run and test time, only when missing:
# python3-venv and Node.js/npm for `make install` (python3 -m venv, npm ci), WeasyPrint's
# pango/harfbuzz (libharfbuzz-subset0 keeps CJK subsetting fast), CJK fonts so that both Chromium
# and WeasyPrint draw Chinese, Chromium for the browser tests, poppler for the PDF checks.
# Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail

packages=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fonts-noto-cjk fonts-arphic-gbsn00lp fonts-arphic-gkai00mp
  chromium poppler-utils
)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done

# Tools checked by what they do, not by package name: Node.js from NodeSource bundles npm, and
# Debian's npm package would conflict with it.
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3 || true)}"
if [ -z "$PYTHON" ] || ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
  missing+=(python3-venv)
fi
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
