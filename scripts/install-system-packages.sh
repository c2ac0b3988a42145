#!/usr/bin/env bash
# Installs the Debian packages the portal needs at run and test time, only when missing:
# WeasyPrint's pango/harfbuzz (libharfbuzz-subset0 keeps CJK subsetting fast), CJK fonts so that
# both Chromium and WeasyPrint draw Chinese, Chromium for the browser tests, poppler for the PDF
# checks. Safe to run repeatedly; does nothing when everything is present.
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
