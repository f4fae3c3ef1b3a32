#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 for `make run` and
# `make test`.
#
#   scripts/postgres.sh ensure   start one if nothing answers (idempotent)
#   scripts/postgres.sh stop     stop the project-local server, if it runs
#
# When AULA_DATABASE_URL is set, the server is yours to run and this does
# nothing. Otherwise, when nothing answers on 127.0.0.1:5432, it starts a
# project-local server from the machine's PostgreSQL binaries (installing
# Debian's postgresql package when they are missing) with its data under
# ./var/postgres. PostgreSQL refuses to run as root, so under root the
# server runs as the unprivileged "postgres" system user.
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=127.0.0.1
PORT=${AULA_PG_PORT:-5432}
DATA="$PWD/var/postgres"
LOG="$PWD/var/postgres.log"

answers() {
	if command -v pg_isready >/dev/null 2>&1; then
		pg_isready -q -h "$HOST" -p "$PORT"
	else
		(exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
	fi
}

pg_bin() {
	local dir
	dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$dir" ] && command -v pg_ctl >/dev/null 2>&1; then
		dir=$(dirname "$(command -v pg_ctl)")
	fi
	echo "$dir"
}

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

ensure() {
	if [ -n "${AULA_DATABASE_URL:-}" ]; then
		exit 0
	fi
	if answers; then
		exit 0
	fi
	local bin
	bin=$(pg_bin)
	if [ -z "$bin" ]; then
		echo "postgres.sh: installing Debian's postgresql package" >&2
		if [ "$(id -u)" = 0 ]; then
			apt-get install -y postgresql >/dev/null || { apt-get update >/dev/null && apt-get install -y postgresql >/dev/null; }
		else
			sudo apt-get install -y postgresql >/dev/null
		fi
		bin=$(pg_bin)
	fi
	if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
		useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
	fi
	mkdir -p "$DATA"
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$DATA"
		touch "$LOG" && chown postgres "$LOG"
	fi
	chmod 700 "$DATA"
	if [ ! -f "$DATA/PG_VERSION" ]; then
		echo "postgres.sh: creating a local PostgreSQL cluster in var/postgres" >&2
		as_owner "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
	fi
	echo "postgres.sh: starting the local PostgreSQL on $HOST:$PORT (log: var/postgres.log)" >&2
	as_owner "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
		-o "-h $HOST -p $PORT -k /tmp" start >/dev/null
	answers
}

stop() {
	local bin
	bin=$(pg_bin)
	if [ -n "$bin" ] && [ -f "$DATA/postmaster.pid" ]; then
		as_owner "$bin/pg_ctl" -D "$DATA" -m fast stop
	fi
}

case "${1:-ensure}" in
ensure) ensure ;;
stop) stop ;;
*) echo "usage: $0 ensure|stop" >&2; exit 2 ;;
esac
