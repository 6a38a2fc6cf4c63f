#!/usr/bin/env bash
# Make this checkout ready to run: bun 1.4.4, node_modules, (optionally)
# chromium, and the local PostgreSQL + Redis (scripts/services.sh).
#
#   source scripts/setup.sh [--browser]   exports DATABASE_URL, TEST_DATABASE_URL,
#                                         REDIS_URL, ION_PG_BIN, ION_DATA_DIR
#   scripts/setup.sh [--browser]          same, but prints the env lines instead
#                                         (export $(scripts/setup.sh | grep =))
#
# When sourcing, always pass an argument (`--` if you have none): bash hands the
# caller's own positional parameters to a sourced file that gets no arguments.
#
# All chatter goes to stderr.

ion_setup_log() { printf 'setup: %s\n' "$*" >&2; }

ion_setup_apt_install() {
  # Another process on this machine may be running apt (logs to /tmp/apt.log,
  # last line "done" when finished); give it a chance before we queue up.
  local i
  if [[ -f /tmp/apt.log ]]; then
    for ((i = 0; i < 600; i++)); do
      [[ "$(tail -n 1 /tmp/apt.log 2>/dev/null)" == "done" ]] && break
      if ((i % 30 == 0)); then ion_setup_log "waiting for another apt run to finish (/tmp/apt.log)..."; fi
      sleep 1
    done
  fi
  if [[ $EUID -ne 0 ]]; then
    ion_setup_log "error: need root to apt-get install $*"
    return 1
  fi
  ion_setup_log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@" </dev/null >&2
}

ion_setup() {
  local browser=0 arg root line env_out
  for arg in "$@"; do
    case "$arg" in
      --browser) browser=1 ;;
      --) ;;
      *) ion_setup_log "error: unknown argument: $arg (usage: setup.sh [--browser])"; return 2 ;;
    esac
  done
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1

  # bun ----------------------------------------------------------------------
  if [[ "$(bun --version 2>/dev/null)" != "1.4.4" ]]; then
    ion_setup_log "installing bun 1.4.4 (npm install -g bun@1.4.4)"
    npm install -g bun@1.4.4 >&2 || { ion_setup_log "error: npm install -g bun@1.4.4 failed"; return 1; }
    hash -r
    case ":$PATH:" in
      *":$(npm prefix -g)/bin:"*) ;;
      *) PATH="$(npm prefix -g)/bin:$PATH"; export PATH ;;
    esac
    if [[ "$(bun --version 2>/dev/null)" != "1.4.4" ]]; then
      ion_setup_log "error: bun --version is '$(bun --version 2>&1)', expected 1.4.4 (check PATH)"
      return 1
    fi
  fi

  # node_modules -------------------------------------------------------------
  (cd "$root" && bun install --frozen-lockfile >&2) || {
    ion_setup_log "error: bun install --frozen-lockfile failed (is bun.lock up to date with package.json?)"
    return 1
  }

  # chromium (browser tests) --------------------------------------------------
  if ((browser)) && [[ ! -x /usr/bin/chromium ]]; then
    ion_setup_apt_install chromium || { ion_setup_log "error: installing chromium failed"; return 1; }
  fi

  # PostgreSQL + Redis ---------------------------------------------------------
  env_out="$("$root/scripts/services.sh" start)" || { ion_setup_log "error: scripts/services.sh start failed"; return 1; }
  while IFS= read -r line; do
    # shellcheck disable=SC2163  # exporting "NAME=value" strings on purpose
    if [[ "$line" =~ ^[A-Z_][A-Z0-9_]*= ]]; then export "$line"; fi
  done <<<"$env_out"
  ION_PG_BIN="$("$root/scripts/services.sh" pgbin)" || return 1
  ION_DATA_DIR="${ION_DATA_DIR:-$root/.data}"
  case "$ION_DATA_DIR" in /*) ;; *) ION_DATA_DIR="$PWD/$ION_DATA_DIR" ;; esac
  export ION_PG_BIN ION_DATA_DIR
  ION_SETUP_ENV="$env_out"
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  # Sourced: export into the caller's shell.
  ion_setup "$@"
else
  set -euo pipefail
  ion_setup "$@"
  printf '%s\n' "$ION_SETUP_ENV"
fi
