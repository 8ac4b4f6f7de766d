#!/usr/bin/env bash
# The whole test suite, as CI runs it: types, unit, integration (SQLite and PostgreSQL),
# then end-to-end in Chromium against the built app.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n=== %s ===\n' "$1"; }

step "typecheck"
npx tsc --noEmit -p .

step "unit tests"
npx vitest run --project unit

step "integration tests (SQLite + PostgreSQL)"
npx vitest run --project integration

step "end-to-end tests (Chromium)"
npx playwright test
