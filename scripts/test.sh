#!/usr/bin/env bash
# Run Ion's checks and test suite against the throwaway services.
#
#   scripts/test.sh [bun test args...]
#
# Tests run against the ion_test database (DATABASE_URL=$TEST_DATABASE_URL),
# with ION_TEST=1. bun's output is also written to $ION_DATA_DIR/test.log.
# The LAST line on stdout is always the summary:
#   N passed, N failed[, N skipped]
# Exit status is bun test's (non-zero whenever anything failed).

# Parse bun test output (stdin) and print the summary line.
#   $1 = bun test exit code
# Sets ION_TEST_PASSED / ION_TEST_FAILED / ION_TEST_SKIPPED.
#
# bun's closing block looks like (skip/todo/error lines only when non-zero):
#    14 pass
#    2 skip
#    1 todo
#    0 fail
#    3 errors
#    40 expect() calls
#   Ran 20 tests across 4 files. [1.2s]
# We take the last occurrence of each counter. A " N pass" line opens a new
# block, so it resets the other counters (tests may print look-alike lines).
ion_test_summary() {
  local rc="${1:-0}" line n kind
  local pass=0 fail=0 skip=0 todo=0 err=0
  local re='^[[:space:]]*([0-9]+)[[:space:]]+(pass|fail|skip|todo|error|errors)[[:space:]]*$'
  while IFS= read -r line; do
    [[ "$line" =~ $re ]] || continue
    n=$((10#${BASH_REMATCH[1]}))
    kind="${BASH_REMATCH[2]}"
    case "$kind" in
      pass) pass=$n fail=0 skip=0 todo=0 err=0 ;;
      fail) fail=$n ;;
      skip) skip=$n ;;
      todo) todo=$n ;;
      error | errors) err=$n ;;
    esac
  done < <(sed -E $'s/\x1b\\[[0-9;?]*[A-Za-z]//g; s/\r//g')

  ION_TEST_PASSED=$pass
  ION_TEST_FAILED=$((fail + err))
  ION_TEST_SKIPPED=$((skip + todo))
  # A crash, a load error or "No tests found" must never look green.
  if ((rc != 0 && ION_TEST_FAILED == 0)); then ION_TEST_FAILED=1; fi

  if ((ION_TEST_SKIPPED > 0)); then
    printf '%d passed, %d failed, %d skipped\n' "$ION_TEST_PASSED" "$ION_TEST_FAILED" "$ION_TEST_SKIPPED"
  else
    printf '%d passed, %d failed\n' "$ION_TEST_PASSED" "$ION_TEST_FAILED"
  fi
}

ion_test_main() {
  set -euo pipefail
  local root rc check_rc
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  cd "$root"

  # shellcheck source=scripts/setup.sh
  if ! source "$root/scripts/setup.sh" --browser; then
    echo "test.sh: setup failed" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi

  export DATABASE_URL="$TEST_DATABASE_URL"
  export REDIS_URL
  export ION_TEST=1
  mkdir -p "$ION_DATA_DIR"

  # Static checks first; their output is shown as it happens.
  set +e
  bun run check 2>&1 | tee "$ION_DATA_DIR/check.log"
  check_rc=${PIPESTATUS[0]}
  set -e
  if ((check_rc != 0)); then
    echo "test.sh: 'bun run check' failed (exit $check_rc)" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi

  set +e
  bun test --timeout 30000 "$@" 2>&1 | tee "$ION_DATA_DIR/test.log"
  rc=${PIPESTATUS[0]}
  set -e

  echo
  ion_test_summary "$rc" <"$ION_DATA_DIR/test.log"
  if ((rc == 0 && ION_TEST_FAILED > 0)); then rc=1; fi
  exit "$rc"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  ion_test_main "$@"
fi
