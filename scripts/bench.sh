#!/usr/bin/env bash
# The one-run benchmark (make bench): Aula before and after (two git
# revisions, default main and the working tree), each on its own database
# with the demo content, and the ceilings next to them on this machine, in
# the same run: a bare Fiber + html/template page of the module page's
# size, pgbench -S, and pgbench with a one-row jsonb insert. It writes
# bench/results.md. Nothing here asserts a time. Each Aula figure also
# gives the CPU time per request of the server process and of the
# PostgreSQL backends serving its database (from /proc): on a machine
# shared with other work that figure holds where requests per second move.
#
# Then the scale section: the working tree served on aula_bench_scale,
# filled by `aula seed scale` (100k learners, 1M attempts, 100k library
# items) only when the database is missing or its COMMENT (the seeding's
# marker and the seeder's hash) differs, so a later run reuses it; each
# page measured against issue 11's goals, with the EXPLAIN of its reads.
#
#   scripts/bench.sh [seconds per figure] [clients] [before-rev]
#
#   AULA_BENCH_SCALE=0.1   seed and measure at a tenth of the sizes (its own
#                          database, aula_bench_scale_0_1); 0 skips the section
#   AULA_BENCH_SCALE_SECONDS, AULA_BENCH_SCALE_CLIENTS   per figure (3, 4)
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

measure() { # measure LABEL PORT PID: each figure with the CPU the server and its backends spent per request
	go run ./scripts/bench -url "http://127.0.0.1:$2" -bin "$WORK/aula-$1" -dsn "$PG/aula_bench_$1?sslmode=disable" \
		-admin $ADMIN -password "$PASSWORD" -d "${DUR}s" -c "$CONNS" -pid "$3"
}

peak_rss() { grep VmHWM "/proc/$1/status" | awk '{print $2/1024 " MB"}'; }

statements() { # statements LABEL [MIN]: mean statements per request by route, from the server's log
	grep -a '"msg":"request"' "$WORK/log-$1" | grep -ao '"path":"[^"]*".*"statements":[0-9]*' |
		sed -E 's/"path":"([^"]*)".*"statements":([0-9]+)/\1 \2/' |
		sed -E 's#/[0-9]+(/| |$)#/N\1#g; s#/AULA-[A-Z0-9-]+#/CODE#' |
		awk -v min="${2:-20}" '{n[$1]++; s[$1]+=$2} END {for (p in n) if (n[p] > min) printf "| %s | %.1f | %d |\n", p, s[p]/n[p], n[p]}' | sort
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

SCALE=${AULA_BENCH_SCALE:-1}
SCALE_DUR=${AULA_BENCH_SCALE_SECONDS:-3}
SCALE_CONNS=${AULA_BENCH_SCALE_CLIENTS:-4}
SCALE_DB=aula_bench_scale
[ "$SCALE" = 1 ] || SCALE_DB=aula_bench_scale_${SCALE//./_}
scaled() { awk -v n="$1" -v s="$SCALE" 'BEGIN {printf "%d", n * s}'; }
SEED_ARGS=(-learners "$(scaled 100000)" -attempts "$(scaled 1000000)" -items "$(scaled 100000)")
SEEDED="seeded by an earlier run"

seed_scale() { # the scale database, seeded unless it already holds this seeding
	local want have
	want="$("$WORK/aula-after" seed scale -marker "${SEED_ARGS[@]}") seeder=$(cat $(ls seedscale/*.go | grep -v _test.go) | sha256sum | cut -c1-12)"
	have=$(psql -h 127.0.0.1 -U postgres -Atc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$SCALE_DB'" postgres)
	if [ "$have" = "$want" ]; then
		echo "bench: $SCALE_DB already holds $want" >&2
		return
	fi
	echo "bench: seeding $SCALE_DB ($want); minutes at full scale" >&2
	psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $SCALE_DB WITH (FORCE)" postgres
	psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $SCALE_DB" postgres
	AULA_DATABASE_URL="$PG/$SCALE_DB?sslmode=disable" "$WORK/aula-after" seed scale "${SEED_ARGS[@]}" | tee "$WORK/seed.log" >&2
	# Only a seeding that finished is marked: an interrupted one seeds again.
	psql -h 127.0.0.1 -U postgres -qc "COMMENT ON DATABASE $SCALE_DB IS '$want'" postgres
	SEEDED="seeded in this run: $(grep -E '^ +total' "$WORK/seed.log" | awk '{print $2 " rows in " $3 ", " $4 " rows/s"}')"
}

pair_floor() { # pair_floor DB: TPS of the quiz pair's two writes alone, sent by pgbench as Aula sends them
	# The floor under "quiz start + submit": no HTTP, no Go, no reads, only
	# the start's INSERT and the submit's UPDATE of assessment.Store
	# (InsertAttempt, the grading UPDATE), prepared, on the attempts the
	# benchmark left in DB, for its learners, with the same layout and
	# answers. Each client keeps to one learner and numbers its attempts
	# itself, so no two clients collide on (quiz, learner, number). Run once
	# with the counting triggers (quiz_attempt_counts, quiz_answer_counts)
	# and once without them: what the pair's writes cost, and how much of
	# it is the counting the results pages read at scale.
	local db=$1 q pv layout answers scores passed score max percent
	IFS='|' read -r q pv layout answers scores passed score max percent < <(psql -h 127.0.0.1 -U postgres -Atc \
		"SELECT a.quiz_id, qz.pool_version, a.layout, a.answers, a.scores, a.passed::text, a.score, a.max_score, a.percent
		 FROM attempts AS a JOIN quizzes AS qz ON qz.id = a.quiz_id WHERE a.submitted_at IS NOT NULL ORDER BY a.id DESC LIMIT 1" "$db")
	[ -n "$q" ] || { echo "| quiz pair's writes | no attempt to copy | |"; return; }
	local sql=${layout//\'/\'\'} ans=${answers//\'/\'\'} sc=${scores//\'/\'\'} k=0 learners
	learners=$(psql -h 127.0.0.1 -U postgres -Atc "SELECT DISTINCT enrolment_id, user_id FROM attempts WHERE quiz_id = $q ORDER BY 1" "$db")
	{
		echo "\\set n :n + 1"
		echo "\\set k :client_id % $(echo "$learners" | wc -l)"
		while IFS='|' read -r e u; do
			[ $k = 0 ] && echo "\\if :k = 0" || echo "\\elif :k = $k"
			echo "\\set e $e"
			echo "\\set u $u"
			k=$((k + 1))
		done <<<"$learners"
		echo "\\endif"
		echo "INSERT INTO attempts (quiz_id, enrolment_id, user_id, number, started_at, deadline, layout, answers, scores)"
		echo "	SELECT qz.id, :e, :u, :n * 64 + :client_id, now(), NULL, '$sql'::jsonb, '{}', '{}' FROM quizzes AS qz"
		echo "	WHERE qz.id = $q AND qz.pool_version = $pv AND set_config('synchronous_commit', 'off', true) = 'off'"
		echo "	FOR SHARE RETURNING id \\gset"
		echo "UPDATE attempts SET submitted_at = now(), timed_out = false, score = $score, max_score = $max, percent = $percent,"
		echo "	passed = $passed, answers = '$ans', scores = '$sc'"
		echo "	WHERE id = :id AND submitted_at IS NULL AND ('{}'::jsonb IS NULL OR answers = '{}'::jsonb);"
	} >"$WORK/pair.sql"
	# Attempt numbers start above every number already taken.
	pairs() { pgbench -h 127.0.0.1 -U postgres -n -M prepared -f "$WORK/pair.sql" -c "$CONNS" -j 2 -T "$DUR" \
		-D n="$(psql -h 127.0.0.1 -U postgres -Atc "SELECT coalesce(max(number), 0) / 64 + 1 FROM attempts" "$db")" "$db" 2>/dev/null |
		awk '/^tps/ {print int($3)}'; }
	local on off
	on=$(pairs)
	psql -h 127.0.0.1 -U postgres -qc "ALTER TABLE attempts DISABLE TRIGGER USER" "$db"
	off=$(pairs)
	psql -h 127.0.0.1 -U postgres -qc "ALTER TABLE attempts ENABLE TRIGGER USER" "$db"
	ratio() { awk -v a="$1" -v b="$INSERT_TPS" 'BEGIN {if (a == "" || b == 0) print "?"; else printf "%.1f %%", 100 * a / b}'; }
	echo "| the pair's two writes, counting triggers on (as served) | ${on:-failed} | $(ratio "$on") |"
	echo "| the same writes, counting triggers off | ${off:-failed} | $(ratio "$off") |"
}

ROWS=()
declare -A RSS
for label in before after; do
	port=$([ $label = before ] && echo 18091 || echo 18092)
	echo "bench: $label" >&2
	serve $label $port
	ROWS+=("$(measure $label $port "${PIDS[-1]}")")
	RSS[$label]=$(peak_rss "${PIDS[-1]}")
	kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
done
echo "bench: the quiz pair's writes alone (pgbench)" >&2
FLOOR=$(pair_floor aula_bench_after)

if [ "$SCALE" != 0 ]; then
	seed_scale
	echo "bench: at scale ($SCALE_DB)" >&2
	LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
	# The verify figure comes from many addresses (X-Forwarded-For), as
	# its visitors do, so the server trusts the loopback as its proxy.
	AULA_ADDR=127.0.0.1:18093 AULA_DATABASE_URL="$PG/$SCALE_DB?sslmode=disable" AULA_DATA_DIR="$WORK/data-scale" \
		AULA_TRUSTED_PROXIES=127.0.0.1 AULA_LOG_LEVEL=info AULA_LOG_FORMAT=json AULA_SHUTDOWN_DRAIN=0s \
		"$WORK/aula-after" serve >"$WORK/log-scale" 2>&1 &
	PIDS+=($!)
	for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:18093/readyz" >/dev/null && break; sleep 0.2; done
	SCALE_ROWS=$(go run ./scripts/bench -scale -url http://127.0.0.1:18093 -bin "$WORK/aula-after" \
		-dsn "$PG/$SCALE_DB?sslmode=disable" -password "$PASSWORD" -d "${SCALE_DUR}s" -c "$SCALE_CONNS")
	RSS[scale]=$(peak_rss "${PIDS[-1]}")
	LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
	kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
fi

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
		echo "## Aula $label — peak RSS ${RSS[$key]} (VmHWM over the run; the 200-user mix is its last figure)"
		echo
		echo "| figure | rps | p50 | p99 | errors / requests | CPU per request (server + its PostgreSQL backends) |"
		echo "|---|---|---|---|---|---|"
		echo "${ROWS[$i]}"
	done
	echo
	echo "## The quiz pair's writes alone (after's database, pgbench, $CONNS clients)"
	echo
	echo "What PostgreSQL alone does with the start's INSERT and the submit's UPDATE, sent as Aula sends them"
	echo "(prepared, same rows), with no HTTP, no Go and no reads: the most pairs per second this machine could"
	echo "serve, whatever the server did. The ratio is to the one-row INSERT above."
	echo
	echo "| writes | pairs/s | of the one-row INSERT |"
	echo "|---|---|---|"
	echo "$FLOOR"
	echo
	echo "## Statements per request (after; from the request log)"
	echo
	echo "| route | statements | requests |"
	echo "|---|---|---|"
	statements after
	if [ "$SCALE" != 0 ]; then
		echo
		echo "## At scale — peak RSS ${RSS[scale]}"
		echo
		echo "The working tree on \`$SCALE_DB\` ($("$WORK/aula-after" seed scale -marker "${SEED_ARGS[@]}" | sed 's/^aula seed scale: //'); $SEEDED)."
		echo "$SCALE_CONNS clients, ${SCALE_DUR}s per figure; load average before $LOAD_BEFORE, after $LOAD_AFTER (1, 5, 15 min)."
		echo "Goals (issue 11): p99 < 50 ms for results, roster, gradebook and searches, < 200 ms for report pages."
		echo
		echo "$SCALE_ROWS" | sed '/^### /,$d'
		echo
		echo "### Statements per request at scale (from the request log)"
		echo
		echo "| route | statements | requests |"
		echo "|---|---|---|"
		statements scale 0
		echo
		echo "## At scale: EXPLAIN (ANALYZE, BUFFERS) of each page's reads"
		echo
		echo "Captured by \`scripts/bench -scale\` from a second server on the same database (through a proxy that keeps the"
		echo "statements each page sends), each page requested once, then explained on a warm cache; a read shown under"
		echo "one figure is not repeated under the next."
		echo
		echo "$SCALE_ROWS" | sed -n '/^### /,$p' | sed 's/^### /#### /'
	fi
} >"$OUT"
echo "bench: wrote $OUT" >&2
