#!/usr/bin/env bash
# The one-run benchmark (make bench): Aula before and after (two git
# revisions, default main and the working tree), each on its own database
# with the demo content, and the ceilings next to them on this machine, in
# the same run: a bare Fiber + html/template page of the module page's
# size, pgbench -S, and pgbench with a one-row jsonb insert. It writes
# bench/results.md. Nothing here asserts a time.
#
#   scripts/bench.sh [seconds per figure] [clients] [before-rev]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-5}
CONNS=${2:-16}
BEFORE=${3:-main}
PG="postgres://postgres@127.0.0.1:5432"
./scripts/postgres.sh ensure >/dev/null
WORK=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT
PASSWORD="Zq$(head -c 18 /dev/urandom | base64 | tr -d "/+=")ção"
ADMIN=bench-admin@aula.example
OUT=bench/results.md
mkdir -p bench

build() { # build LABEL REV: bin/aula of REV (the working tree for "")
	if [ -z "$2" ]; then
		go build -o "$WORK/aula-$1" ./cmd/aula
	else
		mkdir -p "$WORK/src-$1" && git archive "$2" | tar -x -C "$WORK/src-$1"
		(cd "$WORK/src-$1" && go build -o "$WORK/aula-$1" ./cmd/aula)
	fi
}

serve() { # serve LABEL PORT: runs aula-LABEL on its own database, seeded with the demo
	local db=aula_bench_$1
	psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" postgres
	AULA_ADDR=127.0.0.1:$2 AULA_DATABASE_URL="$PG/$db?sslmode=disable" AULA_DATA_DIR="$WORK/data-$1" \
		AULA_DEMO=1 AULA_ADMIN_EMAIL=$ADMIN AULA_ADMIN_PASSWORD="$PASSWORD" AULA_LOG_LEVEL=info AULA_LOG_FORMAT=json \
		AULA_SHUTDOWN_DRAIN=0s "$WORK/aula-$1" serve >"$WORK/log-$1" 2>&1 &
	PIDS+=($!)
	for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$2/readyz" >/dev/null && return; sleep 0.2; done
	echo "bench: aula-$1 did not start" >&2; cat "$WORK/log-$1" >&2; exit 1
}

measure() { # measure LABEL PORT
	go run ./scripts/bench -url "http://127.0.0.1:$2" -bin "$WORK/aula-$1" -dsn "$PG/aula_bench_$1?sslmode=disable" \
		-admin $ADMIN -password "$PASSWORD" -d "${DUR}s" -c "$CONNS"
}

peak_rss() { grep VmHWM "/proc/$1/status" | awk '{print $2/1024 " MB"}'; }

statements() { # statements LABEL: mean statements per request by route, from the server's log
	grep '"msg":"request"' "$WORK/log-$1" | grep -o '"path":"[^"]*".*"statements":[0-9]*' |
		sed -E 's/"path":"([^"]*)".*"statements":([0-9]+)/\1 \2/' |
		sed -E 's#/[0-9]+(/|$)#/N\1#g' |
		awk '{n[$1]++; s[$1]+=$2} END {for (p in n) if (n[p] > 20) printf "| %s | %.1f | %d |\n", p, s[p]/n[p], n[p]}' | sort
}

echo "bench: building $BEFORE and the working tree" >&2
build before "$BEFORE"
build after ""

echo "bench: ceilings" >&2
CEIL=$(go run ./scripts/bench -ceiling 4700 -d "${DUR}s" -c "$CONNS")
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS aula_bench_pgbench WITH (FORCE)" postgres
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE aula_bench_pgbench" postgres
pgbench -h 127.0.0.1 -U postgres -i -q -s 1 aula_bench_pgbench >/dev/null 2>&1
SELECT_TPS=$(pgbench -h 127.0.0.1 -U postgres -S -c "$CONNS" -j 2 -T "$DUR" aula_bench_pgbench 2>/dev/null | awk '/^tps/ {print int($3)}')
psql -h 127.0.0.1 -U postgres -qc "CREATE TABLE one_row (id bigserial PRIMARY KEY, body jsonb)" aula_bench_pgbench
printf '%s\n' "INSERT INTO one_row (body) VALUES ('{\"answers\": {\"1\": 1, \"2\": [0, 2], \"3\": true, \"4\": \"Zumbi dos Palmares\", \"5\": 1695}, \"scores\": {\"1\": 1, \"2\": 2, \"3\": 1, \"4\": 1, \"5\": 1}, \"layout\": [{\"question_id\": 1, \"option_order\": [2, 0, 1]}, {\"question_id\": 2, \"option_order\": [1, 0, 2]}], \"n\": 12345678}');" >"$WORK/insert.sql"
INSERT_TPS=$(pgbench -h 127.0.0.1 -U postgres -n -f "$WORK/insert.sql" -c 16 -j 2 -T "$DUR" aula_bench_pgbench 2>/dev/null | awk '/^tps/ {print int($3)}')

ROWS=()
declare -A RSS
for label in before after; do
	port=$([ $label = before ] && echo 18091 || echo 18092)
	echo "bench: $label" >&2
	serve $label $port
	ROWS+=("$(measure $label $port)")
	RSS[$label]=$(peak_rss "${PIDS[-1]}")
	kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
done

{
	echo "# Benchmark results"
	echo
	echo "Written by \`scripts/bench.sh $DUR $CONNS $BEFORE\` (\`make bench\`) on $(date -u +%Y-%m-%d), one run."
	echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(psql -h 127.0.0.1 -U postgres -Atc 'SHOW server_version' postgres | cut -d' ' -f1) PostgreSQL, $(go version | cut -d' ' -f3)."
	echo "Load generator, server and PostgreSQL share the machine; $CONNS clients, ${DUR}s per figure; demo content."
	echo
	echo "## Ceilings, same run"
	echo
	echo "| ceiling | rps / TPS | p50 | p99 | errors / requests |"
	echo "|---|---|---|---|---|"
	echo "$CEIL"
	echo "| pgbench -S ($CONNS clients) | $SELECT_TPS | | | |"
	echo "| pgbench one-row 300 B jsonb INSERT (16 clients) | $INSERT_TPS | | | |"
	for i in 0 1; do
		label=$([ $i = 0 ] && echo "before ($BEFORE)" || echo "after (working tree)")
		key=$([ $i = 0 ] && echo before || echo after)
		echo
		echo "## Aula $label — peak RSS ${RSS[$key]}"
		echo
		echo "| figure | rps | p50 | p99 | errors / requests |"
		echo "|---|---|---|---|---|"
		echo "${ROWS[$i]}"
	done
	echo
	echo "## Statements per request (after; from the request log)"
	echo
	echo "| route | statements | requests |"
	echo "|---|---|---|"
	statements after
} >"$OUT"
echo "bench: wrote $OUT" >&2
