#!/usr/bin/env bash
# Writes a new migration for both providers from the schema change since a git revision:
#   bash scripts/new-migration.sh 0003_experiments [REV=HEAD]
# Edit prisma/schema.prisma and prisma/postgres/schema.prisma identically first.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: new-migration.sh NAME [REV]}"
rev="${2:-HEAD}"
pg_url="${RECLAB_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
git show "$rev:prisma/schema.prisma" > "$tmp/sqlite.prisma"
git show "$rev:prisma/postgres/schema.prisma" > "$tmp/postgres.prisma"
mkdir -p "prisma/migrations/$name" "prisma/postgres/migrations/$name"
DATABASE_URL="file:./data/migration-scratch.db" npx prisma migrate diff \
  --from-schema-datamodel "$tmp/sqlite.prisma" --to-schema-datamodel prisma/schema.prisma --script \
  > "prisma/migrations/$name/migration.sql"
# The JS schema engine connects to the configured database even for a datamodel-to-datamodel diff.
DATABASE_URL="$pg_url" npx prisma migrate diff \
  --from-schema-datamodel "$tmp/postgres.prisma" --to-schema-datamodel prisma/postgres/schema.prisma --script \
  > "prisma/postgres/migrations/$name/migration.sql"
node scripts/generate-clients.mjs
echo "wrote prisma/migrations/$name and prisma/postgres/migrations/$name"
