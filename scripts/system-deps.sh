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
[ -z "$missing" ] && exit 0

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
