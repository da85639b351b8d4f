#!/usr/bin/env bash
# `npm test`: every suite, in the order a reviewer would want them to fail:
#   lint, typecheck, vitest (PGlite and a throwaway PostgreSQL), next build,
#   Playwright in Debian Chromium against `npm start` on PGlite, then on PostgreSQL.
# Needs Debian's chromium and postgresql packages (.ci/run installs them).
# The last line is "N passed, N failed" summed over all suites (lint, typecheck and build count one each).
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
results=.data/test-results
rm -rf "$results" .data/e2e-pglite
mkdir -p "$results"
passed=0
failed=0

count_check() { # name, command...
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "!! $name failed"; fi
}

# Adds the counts of a vitest or Playwright JSON report; a missing report counts as one failure.
count_report() { # kind, file
  local counts
  if ! counts=$(node -e '
    const [kind, file] = process.argv.slice(1);
    const r = JSON.parse(require("fs").readFileSync(file, "utf8"));
    const [p, f] = kind === "vitest"
      // a file that fails before running any test (import error) counts as one failure
      ? [r.numPassedTests, r.numFailedTests + r.testResults.filter((t) => t.status === "failed" && t.assertionResults.length === 0).length]
      : [r.stats.expected + r.stats.flaky, r.stats.unexpected + (r.errors?.length ?? 0)];
    console.log(`${p} ${f}`);' "$1" "$2" 2>/dev/null); then
    echo "!! no $1 report at $2"
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + ${counts% *}))
  failed=$((failed + ${counts#* }))
}

finish() {
  scripts/pg-test-server.sh stop >/dev/null 2>&1 || true
  echo "${passed} passed, ${failed} failed" | tee "$results/summary.txt"
  [ "$failed" -eq 0 ]
  exit $?
}

count_check "lint" npx eslint --max-warnings 0 .
count_check "typecheck" npx tsc --noEmit

echo "== starting a throwaway PostgreSQL"
if ! PG_URL=$(scripts/pg-test-server.sh start); then
  echo "!! PostgreSQL could not be started"
  failed=$((failed + 1))
  finish
fi
trap 'scripts/pg-test-server.sh stop >/dev/null 2>&1 || true' EXIT

echo "== vitest (PGlite and PostgreSQL)"
TEST_PG_URL="$PG_URL" npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json"
count_report vitest "$results/vitest.json"

count_check "next build" npx next build

echo "== Playwright on PGlite (the default run)"
CI=true E2E_DATA_DIR=.data/e2e-pglite PLAYWRIGHT_JSON_OUTPUT_FILE="$results/e2e-pglite.json" npx playwright test
count_report playwright "$results/e2e-pglite.json"

echo "== Playwright on PostgreSQL"
CI=true E2E_DATA_DIR=.data/e2e-pg E2E_DATABASE_URL="$PG_URL" PLAYWRIGHT_JSON_OUTPUT_FILE="$results/e2e-pg.json" npx playwright test
count_report playwright "$results/e2e-pg.json"

finish
