#!/bin/sh
# Creates Temporal's two databases and their schemas (idempotent: a re-run only applies what
# is missing). Runs once in the admin-tools image before the server starts.
set -eu
ep="--plugin postgres12 --ep ${POSTGRES_SEEDS} -u ${POSTGRES_USER} -p ${DB_PORT}"
# SCHEMA_DIR: the local cluster points it at the Go module's schema/ folder.
schema="${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"
for db in temporal temporal_visibility; do
  kind=$([ "$db" = temporal ] && echo temporal || echo visibility)
  temporal-sql-tool $ep --db "$db" create || true
  temporal-sql-tool $ep --db "$db" setup-schema -v 0.0 || true
  temporal-sql-tool $ep --db "$db" update-schema -d "$schema/$kind/versioned"
done
