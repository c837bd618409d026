#!/bin/sh
# System packages Đảng vụ needs beyond Python: Debian's Chromium (browser tests, Playwright over CDP),
# LibreOffice Writer headless + poppler (DOCX → PDF → PNG), and fonts with full Vietnamese coverage
# (fonts-liberation 1.07, pulled in by chromium, lacks Ơ ơ Ư ư and U+1EA0–1EF9: see STACK_NOTES §5;
# liberation2 and croscore are metric-compatible with Times New Roman and cover every letter).
# Idempotent: installs only what is missing; without root or apt it prints what to install and goes on.
set -eu

PKGS="chromium libreoffice-writer-nogui poppler-utils fonts-liberation2 fonts-croscore fonts-crosextra-carlito fonts-dejavu-core"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# axe-core (accessibility checks inside the browser tests) from the npm registry, into var/node/.
AXE_VERSION=4.11.0
axe() {
  [ -f var/node/node_modules/axe-core/axe.min.js ] && return 0
  if command -v npm >/dev/null 2>&1; then
    mkdir -p var/node
    npm install --silent --no-audit --no-fund --prefix var/node "axe-core@$AXE_VERSION" >/dev/null \
      || echo "THÔNG BÁO: không cài được axe-core từ npm" >&2
  else
    echo "THÔNG BÁO: thiếu npm (gói nodejs): kiểm tra khả năng truy cập trong bài kiểm thử trình duyệt sẽ báo bỏ qua" >&2
  fi
}
# Node.js and npm only when there is no npm at all (a machine may have its own Node.js build, which Debian's npm
# package would conflict with).
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
[ -z "$missing" ] && { axe; exit 0; }

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "THÔNG BÁO: thiếu gói hệ thống:$missing — cài bằng: sudo apt-get install -y --no-install-recommends$missing" >&2
  echo "           (không có chúng, bài kiểm thử trình duyệt và xuất PDF sẽ báo bỏ qua, trừ khi CI=true)" >&2
  exit 0
fi
echo "Cài gói hệ thống:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
axe
