#!/usr/bin/env bash
# Memory of the real binary under upload load: RSS at rest, after ten
# anonymous 20 MB posts to the upload route, and after thirty concurrent
# 5 MB uploads by an instructor.
#
#   scripts/upload-rss.sh [source-dir]   (default: this checkout)
#
# Prints the numbers; nothing here asserts them (they go into the notes).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=${1:-$PWD}
./scripts/postgres.sh ensure
WORK=$(mktemp -d)
DB=aula_rss_$$
PORT=${AULA_RSS_PORT:-18095}
URL=http://127.0.0.1:$PORT
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; cp "$WORK/log" /tmp/upload-rss.log 2>/dev/null || true; psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres; rm -rf "$WORK"' EXIT
(cd "$SRC" && go build -o "$WORK/aula" ./cmd/aula)
export AULA_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable" AULA_DATA_DIR="$WORK/data" AULA_ADDR=127.0.0.1:$PORT AULA_LOG_LEVEL=warn
"$WORK/aula" migrate up >/dev/null
"$WORK/aula" user create -email docente@rss.example -name "Lucía Peña" -role instructor -password "rss instructor password" >/dev/null
"$WORK/aula" serve >"$WORK/log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -fs "$URL/readyz" >/dev/null && break; sleep 0.2; done
rss() { awk '/VmRSS/ {printf "%d MB", $2/1024}' "/proc/$PID/status"; }
TOKEN=$(curl -fs "$URL/api/v1/tokens" -H 'Content-Type: application/json' \
	-d '{"email":"docente@rss.example","password":"rss instructor password"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
COURSE=$(curl -fs "$URL/api/v1/courses" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	-d '{"title":"Memoria","summary":"Subidas","language":"es","workload_hours":1}' | sed -E 's/^\{"id":([0-9]+).*/\1/')
# Content that passes the type check: a PNG header, then padding.
mkfile() { { printf '\x89PNG\r\n\x1a\n'; head -c "$2" /dev/urandom; } >"$1"; }
mkfile "$WORK/20mb.png" $((20 * 1024 * 1024 - 64))
for i in $(seq 1 30); do mkfile "$WORK/5mb-$i.png" $((5 * 1024 * 1024)); done
echo "at rest: $(rss)"
for _ in $(seq 1 10); do
	curl -s -o /dev/null -w '%{http_code} ' -F "file=@$WORK/20mb.png" "$URL/api/v1/courses/$COURSE/assets" &
done
wait_uploads() { for p in $(jobs -p); do [ "$p" = "$PID" ] || wait "$p" || true; done; }
wait_uploads; echo
echo "after 10 anonymous 20 MB posts: $(rss)"
for i in $(seq 1 30); do
	curl -s -o /dev/null -w '%{http_code} ' -H "Authorization: Bearer $TOKEN" -F "file=@$WORK/5mb-$i.png" "$URL/api/v1/courses/$COURSE/assets" &
done
wait_uploads; echo
echo "after 30 concurrent 5 MB uploads: $(rss)"
