#!/usr/bin/env bash
# Load test: the real binary on its own database with the demo content,
# hammered by wrk (Debian package) on the pages most visitors load.
#
#   scripts/load.sh [seconds] [connections]
#
# Prints wrk's summary per page. Nothing here asserts a time: the numbers
# go into the issue notes, measured on the machine at hand.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNS=${2:-32}
command -v wrk >/dev/null || { echo "load.sh: installing wrk" >&2; apt-get install -y wrk >/dev/null; }
./scripts/postgres.sh ensure

DB=aula_load
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
go build -o "$WORK/aula" ./cmd/aula
PORT=18090
AULA_ADDR=127.0.0.1:$PORT AULA_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable" \
	AULA_DATA_DIR="$WORK/data" AULA_DEMO=1 AULA_LOG_LEVEL=warn "$WORK/aula" serve >"$WORK/log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done

for path in / /courses "/courses?q=protecao" /courses/introduccion-a-la-seguridad-social /api/v1/courses "/api/v1/courses?q=seguridad%20social"; do
	echo "== GET $path"
	wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT$path" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
done
