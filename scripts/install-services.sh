#!/usr/bin/env bash
# Installs the real services the tests start (Debian packages) unless they are there.
set -euo pipefail

BINARIES=(prometheus promtool prometheus-pushgateway redis-server victoria-metrics)
PACKAGES=(prometheus prometheus-pushgateway redis-server victoria-metrics)
SERVICES=(prometheus prometheus-pushgateway redis-server victoria-metrics)

log() { printf '[services] %s\n' "$*"; }

# Process names are cut at 15 characters: prometheus-pushgateway shows as prometheus-push.
service_pids() {
  local name
  for name in prometheus prometheus-push redis-server victoria-metric; do
    pgrep -x "$name" || true
  done
}

find_binary() {
  command -v "$1" 2>/dev/null && return
  local dir
  for dir in /usr/bin /usr/sbin; do
    [[ -x "$dir/$1" ]] && { echo "$dir/$1"; return; }
  done
  return 1
}

missing=()
for binary in "${BINARIES[@]}"; do
  find_binary "$binary" >/dev/null || missing+=("$binary")
done

if ((${#missing[@]} > 0)); then
  if [[ "$(id -u)" != 0 ]]; then
    echo "[services] error: missing ${missing[*]}; as root run:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${PACKAGES[*]}" >&2
    exit 1
  fi
  log "installing ${PACKAGES[*]} (missing: ${missing[*]})"
  # Services already running before the install are not ours to stop.
  before=" $(service_pids | tr '\n' ' ') "
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${PACKAGES[@]}" >/dev/null
  # The packages enable and may start their own daemons; the tests start their own.
  if command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now "${SERVICES[@]}" >/dev/null 2>&1 || true
  fi
  for pid in $(service_pids); do
    if [[ "$before" != *" $pid "* ]]; then
      log "stopping pid $pid started by the install"
      kill "$pid" 2>/dev/null || true
    fi
  done
fi

for binary in "${BINARIES[@]}"; do
  path="$(find_binary "$binary")" || { echo "[services] error: $binary still missing" >&2; exit 1; }
  version="$("$path" --version 2>&1 | head -n 1)" || {
    echo "[services] error: $path --version failed: $version" >&2
    exit 1
  }
  log "$binary: $version"
done
