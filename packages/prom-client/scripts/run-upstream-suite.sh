#!/usr/bin/env bash
# Runs prom-client 15.1.3's own jest suite (the ten files that use only its public API)
# against this package's build. prom-client's code never enters this repository: pass a
# checkout of https://github.com/siimon/prom-client; its v15.1.3 tag is copied to a
# scratch directory, jest 29 and nock 13 are installed there, and its index.js is replaced
# by a one-line re-export of packages/prom-client/dist/index.cjs.
#
#   pnpm --filter @promkit/prom-client build
#   packages/prom-client/scripts/run-upstream-suite.sh /path/to/prom-client [workdir]
set -euo pipefail
checkout=${1:?usage: run-upstream-suite.sh <prom-client checkout (git)> [workdir]}
workdir=${2:-$(mktemp -d /tmp/pc-suite.XXXXXX)}
here=$(cd "$(dirname "$0")/.." && pwd)
dist="$here/dist/index.cjs"
[ -f "$dist" ] || { echo "build first: $dist is missing" >&2; exit 2; }

if [ ! -f "$workdir/package.json" ]; then
  mkdir -p "$workdir"
  git -C "$checkout" archive v15.1.3 | tar -x -C "$workdir"
fi
cd "$workdir"
if [ ! -d node_modules/jest ]; then
  # prom-client's own runtime dependencies stay installed: register tests require its lib/registry.
  npm install --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
    jest@29 nock@13 @opentelemetry/api@1 tdigest@0.1 >/dev/null
fi
echo "module.exports = require('$dist');" > index.js
files=(aggregators bucketGenerators counter defaultMetrics exemplars gauge histogram pushgateway register summary)
npx jest --ci $(printf "test/%sTest.js " "${files[@]}") 2>&1 | tee "$workdir/jest.log" | grep -E '^(PASS|FAIL)|Tests:|●.*›' || true
tail -5 "$workdir/jest.log"
