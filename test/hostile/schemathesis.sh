#!/usr/bin/env bash
# Schemathesis against the embedded default: every operation of /v3/api-docs with all checks, a
# bounded number of examples each. Installs schemathesis from PyPI into a virtualenv under
# /var/tmp once and reuses it. Needs `npm run build` first. Prints one SCHEMATHESIS summary line
# and exits non-zero on any server error or schema/status-code violation.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=4.32.0
VENV=${SCHEMATHESIS_VENV:-/var/tmp/baton-schemathesis-$VERSION}
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-50}

# A virtualenv cannot be moved (its scripts name their path), so completion is marked by a file.
if [ ! -f "$VENV/.installed" ]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
  touch "$VENV/.installed"
fi

data=$(mktemp -d)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# Authentication on, as on a network: schemathesis calls with an admin key, and its ignored_auth
# check proves that every operation but the public ones refuses a missing or a wrong credential
# (sent many times over, hence the raised failure limit).
key="bk_schema_$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')"
# The embedded default whatever the caller's environment: CI exports DATABASE_URL for the servers,
# which the fault suite restarts beside this run.
env -u DATABASE_URL -u MESSAGING_DRIVER \
  AUTH_FAILURE_LIMIT=1000000 ADMIN_API_KEY=$key AUTH_MODE=on DATA_DIR="$data/db" PORT=$port HOST=127.0.0.1 LOG_LEVEL=error node dist/src/main.js > "$data/baton.log" 2>&1 &
baton=$!
cleanup() { kill "$baton" 2>/dev/null || true; wait "$baton" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 1 1200); do  # up to 10 min: a first start runs initdb, slow on a busy machine
  curl -fsS "$url/api/orchestration/health" > /dev/null 2>&1 && break
  kill -0 "$baton" 2>/dev/null || { cat "$data/baton.log"; exit 1; }
  sleep 0.5
done
curl -fsS "$url/api/orchestration/health" > /dev/null || { echo "Baton did not become healthy"; cat "$data/baton.log"; exit 1; }

status=0
# Schemathesis frames its sections in pytest's "=== … ===" banners (centred in 80 columns, so a
# long one has a single "=" a side) and closes on one such as "=== 2 warnings in 43.81s ===". CI's
# readers take that line for pytest closing on no test run, so the banners are redrawn with
# dashes; pipefail keeps schemathesis's own exit status.
SCHEMATHESIS_HOOKS=test/hostile/schemathesis_hooks.py "$VENV/bin/schemathesis" --config-file test/hostile/schemathesis.toml run "$url/v3/api-docs" --max-examples "$EXAMPLES" -H "Authorization: Bearer $key" \
  --report junit --report-dir "$data/report" --no-color "$@" | sed -E 's/^=+ (.*) =+$/--- \1 ---/' || status=$?
kill -0 "$baton" 2>/dev/null || { echo "Baton crashed during the run"; cat "$data/baton.log"; status=1; }
# The junit report counts test cases per operation and their failures, whatever the console layout.
node -e '
  const xml = require("fs").readFileSync(process.argv[1], "utf8");
  const n = (attr) => [...xml.matchAll(new RegExp(`<testsuite [^>]*${attr}="(\\d+)"`, "g"))].reduce((s, m) => s + Number(m[1]), 0);
  console.log(`SCHEMATHESIS operations=${n("tests")} failures=${n("failures")} errors=${n("errors")} examplesPerOperation=${process.argv[2]}`);
' "$(ls "$data"/report/*.xml | head -1)" "$EXAMPLES" || true
exit "$status"
