#!/usr/bin/env bash
# Builds the workspace and runs the demo app.
set -euo pipefail
# shellcheck source=setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

demo="$PROMKIT_ROOT/examples/demo/index.mjs"
if [[ ! -f "$demo" ]]; then
  echo "[demo] error: $demo does not exist (the demo app is not written yet)" >&2
  exit 1
fi
cd "$PROMKIT_ROOT"
exec node "$demo" "$@"
