#!/bin/sh
# Temporal keeps its own databases (temporal, temporal_visibility) in the same cluster, owned
# by its own role; temporal-sql-tool creates them on first start. The password comes from the
# environment (TEMPORAL_DB_PASSWORD), never from this file.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v pw="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE temporal WITH LOGIN CREATEDB PASSWORD :'pw';
SQL
