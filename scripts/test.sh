#!/bin/sh
# Runs lint, types, migrations check, then the suite on SQLite and on PostgreSQL.
# Under CI=true an unreachable PostgreSQL fails the run; elsewhere it is skipped with a notice.
# pytest's closing line is the last line printed.
set -eu
: "${BIN:=.venv/bin}"
: "${PG_URL:=postgresql://postgres@127.0.0.1:5432/dangvu}"

"$BIN/ruff" check dangvu tests bench
"$BIN/mypy" dangvu
DANGVU_DATABASE_URL="sqlite:///$(mktemp -d)/check.sqlite3" "$BIN/dangvu" makemigrations --check --dry-run >/dev/null \
  || { echo "Thiếu migration: chạy 'dangvu makemigrations'"; exit 1; }

pg_ok=0
if "$BIN/python" -c "import psycopg,sys; psycopg.connect(sys.argv[1].replace('/dangvu','/postgres'), connect_timeout=3).close()" "$PG_URL" 2>/dev/null; then
  pg_ok=1
elif [ "${CI:-}" = "true" ]; then
  echo "LỖI: CI=true nhưng không kết nối được PostgreSQL tại $PG_URL" >&2
  exit 1
else
  echo "THÔNG BÁO: bỏ qua lượt chạy trên PostgreSQL (không kết nối được $PG_URL)."
fi

echo "== pytest trên SQLite =="
DANGVU_DATABASE_URL="sqlite:///var/test.sqlite3" "$BIN/pytest" "$@"
if [ "$pg_ok" = 1 ]; then
  echo "== pytest trên PostgreSQL =="
  DANGVU_DATABASE_URL="$PG_URL" "$BIN/pytest" "$@"
fi
