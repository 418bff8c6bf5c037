-- Temporal keeps its own databases (temporal, temporal_visibility) in the same cluster, owned
-- by its own role; temporal-sql-tool creates them on first start.
CREATE ROLE temporal WITH LOGIN PASSWORD 'temporal' CREATEDB;
