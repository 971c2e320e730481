#!/usr/bin/env bash
# Back up a PostgreSQL database with pg_dump, restore the backup into a scratch database, and
# compare the row count of every table. Proves a backup can be restored; changes nothing in the
# source database.
#
#   scripts/backup_restore_check.sh [DATABASE_URL] [BACKUP_FILE]
#
# DATABASE_URL defaults to $DATABASE_URL (postgres://user[:password]@host:port/name). The backup
# (custom format, as docs/operations.md recommends) is written to BACKUP_FILE, or to a temporary
# file removed afterwards. The scratch database is dropped at the end. Exit status 0 when every
# table has the same number of rows in both, 1 otherwise.
set -euo pipefail

source_url="${1:-${DATABASE_URL:?give a DATABASE_URL (postgres://...)}}"
case "$source_url" in postgres://* | postgresql://*) ;; *) echo "not a PostgreSQL URL" >&2; exit 2 ;; esac
scratch="restore_check_$$_$RANDOM"
server_url="${source_url%/*}"
scratch_url="$server_url/$scratch"

tmp="$(mktemp -d)"
backup="${2:-$tmp/backup.dump}"
cleanup() {
  psql -q "$server_url/postgres" -c "DROP DATABASE IF EXISTS \"$scratch\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

counts() {
  # One line per table of the public schema, "table rows", sorted by table name (one query).
  psql -qAt -F ' ' "$1" -c "
    SELECT table_name,
           (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I', table_name),
                                                false, true, '')))[1]::text::bigint
    FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
    ORDER BY table_name"
}

pg_dump --format=custom --no-owner --file="$backup" "$source_url"
psql -q "$server_url/postgres" -c "CREATE DATABASE \"$scratch\"" >/dev/null
pg_restore --no-owner --exit-on-error --dbname="$scratch_url" "$backup"

counts "$source_url" >"$tmp/source.txt"
counts "$scratch_url" >"$tmp/restored.txt"
tables=$(wc -l <"$tmp/source.txt")
rows=$(awk '{ total += $2 } END { print total + 0 }' "$tmp/source.txt")
if diff -u "$tmp/source.txt" "$tmp/restored.txt" >"$tmp/diff.txt"; then
  echo "restore check passed: $tables tables, $rows rows, identical counts"
else
  echo "restore check FAILED: row counts differ (source -, restored +)" >&2
  cat "$tmp/diff.txt" >&2
  exit 1
fi
