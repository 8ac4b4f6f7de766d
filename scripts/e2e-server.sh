#!/usr/bin/env bash
# Starts RecLab for the end-to-end tests on a fresh SQLite database (never the user's), in
# accounts mode with a known admin (tests/e2e/auth.setup.ts signs in as it).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="file:./data/e2e/reclab-e2e.db"
rm -rf data/e2e
mkdir -p data/e2e
export RECLAB_LEASE_MS=20000
export RECLAB_SINGLE_USER=0
export ADMIN_EMAIL="${E2E_ADMIN_EMAIL:-admin@reclab.test}"
export ADMIN_PASSWORD="${E2E_ADMIN_PASSWORD:-e2e-admin-password}"
exec npx tsx scripts/start.ts
