#!/usr/bin/env bash
# Makes pnpm 10 usable, installs the workspace and builds it. Run it, or source it to keep
# the pnpm it found (test.sh and demo.sh source it).
set -euo pipefail

PROMKIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PROMKIT_ROOT
export TURBO_TELEMETRY_DISABLED=1

setup_log() { printf '[setup] %s\n' "$*"; }

pnpm_is_10() {
  local version
  version="$(pnpm --version 2>/dev/null)" || return 1
  [[ "$version" == 10.* ]]
}

ensure_pnpm() {
  if pnpm_is_10; then
    setup_log "pnpm $(pnpm --version)"
    return
  fi
  # Not corepack: its signature check fails on this machine.
  setup_log "pnpm 10 not found; npm install -g pnpm@10"
  if npm install -g --force --no-fund --no-audit --loglevel=error pnpm@10 >/dev/null 2>&1 \
    && hash -r && pnpm_is_10; then
    setup_log "pnpm $(pnpm --version) (installed globally)"
    return
  fi
  setup_log "global install impossible; using npx -y pnpm@10"
  # A wrapper function for this shell, and a wrapper file on PATH for turbo's children.
  pnpm() { npx -y pnpm@10 "$@"; }
  export -f pnpm
  local bin_dir="${TMPDIR:-/tmp}/promkit-pnpm-bin"
  mkdir -p "$bin_dir"
  printf '#!/usr/bin/env bash\nexec npx -y pnpm@10 "$@"\n' >"$bin_dir/pnpm"
  chmod +x "$bin_dir/pnpm"
  export PATH="$bin_dir:$PATH"
  pnpm_is_10 || { echo "[setup] error: could not run pnpm 10 through npx" >&2; exit 1; }
  setup_log "pnpm $(pnpm --version) (through npx)"
}

install_and_build() {
  cd "$PROMKIT_ROOT"
  if [[ -f pnpm-lock.yaml ]]; then
    setup_log "pnpm install --frozen-lockfile"
    pnpm install --frozen-lockfile
  else
    setup_log "pnpm install (no lockfile yet)"
    pnpm install
  fi
  setup_log "pnpm build"
  if [[ "${PROMKIT_SETUP_KEEP_GOING:-}" == 1 ]]; then
    # test.sh: build what builds, record the failure, let the tests run and report it.
    PROMKIT_BUILD_EXIT=0
    pnpm build --continue --output-logs=errors-only || PROMKIT_BUILD_EXIT=$?
    export PROMKIT_BUILD_EXIT
  else
    pnpm build --output-logs=errors-only
  fi
  setup_log "done"
}

ensure_pnpm
install_and_build
