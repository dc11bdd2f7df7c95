#!/usr/bin/env bash
# The one test command: setup, services, lint, every package's tests, bench smoke, summary.
set -euo pipefail
# shellcheck source=setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$PROMKIT_ROOT"

bash scripts/install-services.sh

echo "[test] pnpm lint"
# A lint failure fails the run, but the tests still run so one CI pass shows everything.
lint_exit=0
pnpm lint || lint_exit=$?

node scripts/run-package-tests.mjs
node scripts/summarize-tests.mjs --lint-exit="$lint_exit"
