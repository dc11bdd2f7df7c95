#!/usr/bin/env bash
# The one test command: setup, services, lint, every package's tests, bench smoke, summary.
set -euo pipefail
# A failing build or lint fails the run, but the tests still run so one pass shows everything.
PROMKIT_SETUP_KEEP_GOING=1
# shellcheck source=setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$PROMKIT_ROOT"

bash scripts/install-services.sh

echo "[test] pnpm lint"
lint_exit=0
pnpm lint || lint_exit=$?

# Public API of every published entry point against its committed report (pnpm api:update).
echo "[test] pnpm api:check"
api_exit=0
pnpm api:check || api_exit=$?

node scripts/run-package-tests.mjs
node scripts/summarize-tests.mjs --step-exit=build="$PROMKIT_BUILD_EXIT" --step-exit=lint="$lint_exit" --step-exit=api="$api_exit"
