#!/bin/bash
# First start of the compose (and dev overlay) PostgreSQL: one database per component, owned by `civil` (the
# migrations run as the owner), and each database's service role `<database>_app` created ahead
# with the same password (PGPASSWORD in the services), which the kit's PrepareAppRole then
# grants what the service needs (services/common/db_roles.h). WAL archiving for point-in-time
# recovery: deploy/RUNBOOK.md, "Backups".
set -euo pipefail
password=$(<"$POSTGRES_PASSWORD_FILE")
for component in assistance eldercare childwelfare governance socialorg affairs report exchange; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v db="civil_$component" -v role="civil_${component}_app" -v pw="$password" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER civil', :'db') \gexec
SELECT format('CREATE ROLE %I LOGIN NOINHERIT PASSWORD %L', :'role', :'pw') \gexec
SQL
done
