#!/bin/sh
# Render the demo district's annual report to PNG pages (LibreOffice → pdftoppm) into docs/img/.
#   sh scripts/render-report.sh [YEAR] [DB_URL]
# Uses the demo database (DANGVU_DATABASE_URL, default var/dangvu.sqlite3); builds it with 'dangvu demo
# --no-serve' when empty. Writes docs/img/annual-report-p<N>.png (100 dpi) and prints the paths.
set -eu
: "${BIN:=.venv/bin}"
YEAR="${1:-2024}"
if [ "${2:-}" != "" ]; then DANGVU_DATABASE_URL="$2"; export DANGVU_DATABASE_URL; fi
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
command -v soffice >/dev/null || { echo "Thiếu LibreOffice (soffice): chạy 'sh scripts/system-deps.sh'." >&2; exit 1; }
command -v pdftoppm >/dev/null || { echo "Thiếu pdftoppm (poppler-utils): chạy 'sh scripts/system-deps.sh'." >&2; exit 1; }
"$BIN/dangvu" migrate --skip-checks -v0  # a new database has no tables to look the district up in

ROOT="$("$BIN/python" - <<'PY'
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
import django
django.setup()
from dangvu.orgs.models import OrgVersion
v = OrgVersion.objects.filter(kind="district").order_by("organization__code").first()
print(v.organization.code if v else "")
PY
)"
if [ -z "$ROOT" ]; then
  "$BIN/dangvu" demo --no-serve --skip-checks >/dev/null
  ROOT="$("$BIN/python" -c 'import os; os.environ.setdefault("DJANGO_SETTINGS_MODULE","dangvu.settings"); import django; django.setup(); from dangvu.orgs.models import OrgVersion; print(OrgVersion.objects.filter(kind="district").order_by("organization__code").first().organization.code)')"
fi
PDF="$("$BIN/dangvu" report --skip-checks --root "$ROOT" --kind annual --period "$YEAR" --out "$OUT" \
  --format pdf --date "12/1/$((YEAR + 1))" --actor "demo" 2>/dev/null | tail -1)"
mkdir -p docs/img
rm -f docs/img/annual-report-p*.png
pdftoppm -png -r 100 "$PDF" docs/img/annual-report-p
# pdftoppm numbers pages with leading zeros when there are 10 or more: normalise to -p1, -p2 …
for f in docs/img/annual-report-p-*.png; do
  n="$(basename "$f" .png | sed 's/.*-p-0*//')"
  mv "$f" "docs/img/annual-report-p$n.png"
done
ls docs/img/annual-report-p*.png
