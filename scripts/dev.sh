#!/usr/bin/env bash
# Run Ion locally: services, migrations, demo data, then the server.
#
#   scripts/dev.sh          (PORT=3000 by default; Ctrl-C stops the server)
#
# PostgreSQL/Redis keep running afterwards; stop them with scripts/services.sh stop.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Exports DATABASE_URL, REDIS_URL (and TEST_DATABASE_URL, ION_PG_BIN, ION_DATA_DIR).
# shellcheck source=scripts/setup.sh
source "$ROOT/scripts/setup.sh" --

bun src/main.ts migrate
bun src/main.ts seed --demo

password="${ION_DEMO_PASSWORD:-demo}"
cat <<BANNER

Ion is running at http://localhost:${PORT:-3000}
Demo logins (password "${password}"):
  admin
  eighth
  teacher
  student

BANNER

exec bun src/main.ts serve
