#!/usr/bin/env bash
# Starts RecLab for the end-to-end tests on a fresh SQLite database (never the user's).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="file:./data/e2e/reclab-e2e.db"
rm -rf data/e2e
mkdir -p data/e2e
export RECLAB_LEASE_MS=20000
exec npx tsx scripts/start.ts
