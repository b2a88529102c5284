#!/usr/bin/env bash
# Print a DATABASE_URL for a PostgreSQL server on loopback, starting Debian's cluster and
# creating the kcry role when needed. With an argument NAME, the database kcry_NAME is
# dropped and created afresh (the benchmark's empty database). An existing server can be
# used instead by setting KCRY_TEST_POSTGRES_URL (its role needs CREATEDB: Django creates
# and drops test_<name>).
set -euo pipefail
# Only the URL may reach stdout (callers capture it); Debian's cluster tools also print
# notes there, such as "Removed stale pid file.", so everything else goes to stderr.
exec 3>&1 1>&2

if [ -n "${KCRY_TEST_POSTGRES_URL:-}" ]; then
  echo "$KCRY_TEST_POSTGRES_URL" >&3
  exit 0
fi

version=$(ls /usr/lib/postgresql | sort -n | tail -1)
cluster_status=$(pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" {print $4}')
if [ -z "$cluster_status" ]; then
  pg_createcluster "$version" main >/dev/null 3>&-
fi
if [ "$cluster_status" != "online" ]; then
  # 3>&- : the server must not hold the caller's pipe open, or $(...) never returns.
  pg_ctlcluster "$version" main start 3>&-
fi
for _ in $(seq 30); do
  runuser -u postgres -- pg_isready -q -h 127.0.0.1 && break
  sleep 0.5
done

as_postgres() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'kcry'")" != "1" ]; then
  as_postgres -c "CREATE ROLE kcry LOGIN CREATEDB PASSWORD 'kcry'" >/dev/null
fi
database=kcry${1:+_$1}
if [ -n "${1:-}" ]; then
  as_postgres -c "DROP DATABASE IF EXISTS $database" >/dev/null
fi
if [ "$(as_postgres -c "SELECT 1 FROM pg_database WHERE datname = '$database'")" != "1" ]; then
  as_postgres -c "CREATE DATABASE $database OWNER kcry" >/dev/null
fi
echo "postgres://kcry:kcry@127.0.0.1:5432/$database" >&3
