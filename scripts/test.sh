#!/usr/bin/env bash
# The project's test command: builds the solution once, then runs the unit tests and the integration
# tests against a real RabbitMQ and PostgreSQL, starting (and afterwards stopping) those servers when
# they are not already running.
#
# Usage: bash scripts/test.sh [--unit] [--fast] [--filter EXPRESSION]
#   --unit        unit tests only; no servers are installed or started
#   --fast        leave out the slow tests (trait Category=Slow: scale, kill, benchmark smoke); the default runs all
#   --filter X    passed to `dotnet test --filter` (with --fast, both apply)
#
# Environment:
#   STATUSBRIDGE_TEST_RABBITMQ  amqp URI of a RabbitMQ to use; when set, no RabbitMQ is started
#   STATUSBRIDGE_TEST_POSTGRES  Npgsql connection string of a PostgreSQL to use; when set, none is started
#   CONFIGURATION               build configuration (default Release)
#
# The last line printed is always `N passed, N failed, N skipped`, counted from the TRX files. The exit
# status is non-zero when a test failed, a test run produced no TRX file, or no test ran at all.
set -euo pipefail

readonly repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly configuration="${CONFIGURATION:-Release}"
readonly results_dir="$repo_root/artifacts/test-results"
readonly server_wait_seconds=90
# A single test that runs longer than this is treated as hung: the run is aborted and the test named.
readonly hang_timeout=10m
# Upper bound for one `dotnet test` invocation, in case the test host itself never starts or exits.
readonly run_timeout=40m

readonly pg_role=statusbridge
readonly pg_password=statusbridge
readonly pg_database=statusbridge_test

export DEBIAN_FRONTEND=noninteractive
export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

unit_only=false
fast=false
filter=""
while (($# > 0)); do
  case "$1" in
    --unit) unit_only=true ;;
    --fast) fast=true ;;
    --filter)
      [[ $# -ge 2 ]] || { echo "--filter needs an expression" >&2; exit 2; }
      filter="$2"
      shift
      ;;
    -h | --help)
      sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) echo "Unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "==> $*" >&2; }
fail() { echo "ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------
# Cleanup and summary: whatever happens, stop only the servers this run started, then print the counts.

started_rabbitmq=false
started_postgres_version=""

stop_started_servers() {
  if [[ "$started_rabbitmq" == true ]]; then
    log "Stopping the RabbitMQ this run started"
    rabbitmqctl -q stop >&2 || echo "WARNING: could not stop RabbitMQ" >&2
    started_rabbitmq=false
  fi
  if [[ -n "$started_postgres_version" ]]; then
    log "Stopping the PostgreSQL $started_postgres_version cluster this run started"
    pg_ctlcluster "$started_postgres_version" main stop >&2 || echo "WARNING: could not stop PostgreSQL" >&2
    started_postgres_version=""
  fi
}

# Reads one attribute of the <Counters> element of a TRX file (0 when absent).
trx_counter() {
  local value
  value="$(grep -o '<Counters [^>]*>' "$2" | sed -n "s/.*[[:space:]]$1=\"\([0-9]*\)\".*/\1/p" | head -n 1)"
  echo "${value:-0}"
}

passed=0
failed=0
skipped=0
count_results() {
  local trx total ok bad
  passed=0 failed=0 skipped=0
  shopt -s nullglob
  for trx in "$results_dir"/*.trx; do
    total="$(trx_counter total "$trx")"
    ok="$(trx_counter passed "$trx")"
    bad=$(($(trx_counter failed "$trx") + $(trx_counter error "$trx") + $(trx_counter timeout "$trx") + $(trx_counter aborted "$trx")))
    passed=$((passed + ok))
    failed=$((failed + bad))
    # Everything else (notExecuted, inconclusive, notRunnable) did not run: xUnit's skips land there.
    skipped=$((skipped + total - ok - bad))
    # A crashed or hung test host stops the run: the tests it never ran are in no counter, so the run itself
    # counts as one failure and the closing line never reads "0 failed" for a broken run.
    if ((bad == 0)) && ! grep -q '<ResultSummary outcome="Completed"' "$trx"; then
      echo "ERROR: $(basename "$trx"): the test run was aborted (a test host crashed or hung); counted as one failure" >&2
      failed=$((failed + 1))
    fi
  done
  shopt -u nullglob
}

# Names each failed test with the first lines of its message, so the tail of a CI log says what failed.
list_failures() {
  local trx
  shopt -s nullglob
  for trx in "$results_dir"/*.trx; do
    awk '
      /<UnitTestResult / && /outcome="Failed"/ {
        name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
        print "FAILED: " name; want = 1; next
      }
      want && /<Message>/ { sub(/.*<Message>/, ""); lines = 0; inside = 1 }
      inside {
        line = $0; done = sub(/<\/Message>.*/, "", line)
        if (lines < 4) print "  " line
        lines++
        if (done) { inside = 0; trace = 1 }
        next
      }
      # Then the first frame in the project'"'"'s own code, with its file and line: where the test stopped.
      trace && /at Bria\.StatusBridge.* in .*:line [0-9]+/ {
        line = $0; sub(/^.*at Bria\./, "at Bria.", line); sub(/<\/StackTrace>.*/, "", line)
        print "  " line; trace = 0; want = 0
      }
      trace && /<\/StackTrace>|<\/ErrorInfo>/ { trace = 0; want = 0 }
    ' "$trx" | sed 's/&quot;/"/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g' >&2
  done
  shopt -u nullglob
}

on_exit() {
  local status=$?
  trap - EXIT
  stop_started_servers
  list_failures
  count_results
  if ((status == 0 && failed > 0)); then
    status=1
  elif ((status == 0 && passed + failed + skipped == 0)); then
    echo "ERROR: no test ran" >&2
    status=1
  fi
  echo "$passed passed, $failed failed, $skipped skipped"
  exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------------
# Servers

install_missing_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  ((${#missing[@]} > 0)) || return 0
  [[ $EUID -eq 0 ]] || fail "missing packages ${missing[*]}; run as root so they can be installed"
  log "Installing ${missing[*]}"
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# wait_for DESCRIPTION COMMAND...: retries COMMAND once a second until it succeeds or time runs out.
wait_for() {
  local description="$1" deadline=$((SECONDS + server_wait_seconds))
  shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "$description did not become ready within ${server_wait_seconds}s"
    sleep 1
  done
}

rabbitmq_ready() { rabbitmqctl -q status && port_open 127.0.0.1 5672; }

ensure_rabbitmq() {
  if [[ -n "${STATUSBRIDGE_TEST_RABBITMQ:-}" ]]; then
    log "Using RabbitMQ from STATUSBRIDGE_TEST_RABBITMQ"
    return
  fi
  export STATUSBRIDGE_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:5672/"
  if port_open 127.0.0.1 5672; then
    log "Reusing the RabbitMQ listening on 127.0.0.1:5672"
    return
  fi
  install_missing_packages rabbitmq-server
  if rabbitmqctl -q status >/dev/null 2>&1; then
    log "RabbitMQ is running but not yet listening; waiting for it"
  else
    log "Starting RabbitMQ on 127.0.0.1:5672"
    # Loopback only: the default guest user may only log in from localhost, and nothing else needs it.
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 rabbitmq-server -detached >&2
    started_rabbitmq=true
  fi
  wait_for "RabbitMQ (see /var/log/rabbitmq/)" rabbitmq_ready
}

# The newest PostgreSQL major version installed, e.g. 15.
postgres_version() { ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1; }

psql_as_postgres() { (cd / && su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -d postgres") >&2; }

ensure_postgres() {
  if [[ -n "${STATUSBRIDGE_TEST_POSTGRES:-}" ]]; then
    log "Using PostgreSQL from STATUSBRIDGE_TEST_POSTGRES"
    return
  fi
  export STATUSBRIDGE_TEST_POSTGRES="Host=127.0.0.1;Port=5432;Username=$pg_role;Password=$pg_password;Database=$pg_database"
  install_missing_packages postgresql
  local version
  version="$(postgres_version)"
  [[ -n "$version" ]] || fail "no PostgreSQL found under /usr/lib/postgresql"

  if pg_isready -q -h 127.0.0.1 -p 5432; then
    log "Reusing the PostgreSQL listening on 127.0.0.1:5432"
  else
    if [[ ! -d "/etc/postgresql/$version/main" ]]; then
      log "Creating the PostgreSQL $version cluster 'main'"
      pg_createcluster --port 5432 "$version" main >&2
    fi
    # Test classes run in parallel, each with its own database and bridge connection pools, and the
    # two-replica and fault tests hold many connections at once: the default of 100 is too tight.
    pg_conftool "$version" main set max_connections 300 >&2
    log "Starting PostgreSQL $version"
    pg_ctlcluster "$version" main start >&2
    started_postgres_version="$version"
    wait_for "PostgreSQL (see /var/log/postgresql/)" pg_isready -q -h 127.0.0.1 -p 5432
  fi

  # Idempotent: the role (allowed to create the per-test-class databases) and the default database.
  psql_as_postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$pg_role') THEN
    CREATE ROLE $pg_role;
  END IF;
END
\$\$;
ALTER ROLE $pg_role WITH LOGIN CREATEDB PASSWORD '$pg_password';
SELECT 'CREATE DATABASE $pg_database OWNER $pg_role'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$pg_database')\gexec
SQL
}

# ---------------------------------------------------------------------------------------------------
# Build and test

# run_tests PROJECT: one `dotnet test` run writing PROJECT.trx; returns non-zero when it failed or
# crashed before writing its TRX file.
run_tests() {
  local project="$1" status=0
  local args=(
    "tests/$project/$project.csproj"
    --configuration "$configuration" --no-build
    --logger "trx;LogFileName=$project.trx"
    --logger "console;verbosity=normal"
    --results-directory "$results_dir"
    --blame-hang-timeout "$hang_timeout" --blame-hang-dump-type none
  )
  local expression="$filter"
  if [[ "$fast" == true ]]; then
    expression="Category!=Slow${filter:+&($filter)}"
  fi
  [[ -z "$expression" ]] || args+=(--filter "$expression")

  log "Testing $project"
  timeout --kill-after=1m "$run_timeout" dotnet test "${args[@]}" >&2 || status=$?
  if [[ ! -f "$results_dir/$project.trx" ]]; then
    echo "ERROR: $project produced no TRX file (the test run crashed, exit status $status)" >&2
    return 1
  fi
  return "$status"
}

cd "$repo_root"
rm -rf "$results_dir"
mkdir -p "$results_dir"

# The API reference page is checked in a real browser (ApiDocumentTests): headless Chromium, installed when missing.
ensure_chromium() {
  if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    return
  fi
  install_missing_packages chromium
}

if [[ "$unit_only" == false ]]; then
  ensure_rabbitmq
  ensure_postgres
  ensure_chromium
fi

log "Building Bria.StatusBridge.sln ($configuration)"
dotnet build Bria.StatusBridge.sln --configuration "$configuration" -nologo >&2

status=0
run_tests Bria.StatusBridge.Tests || status=1
if [[ "$unit_only" == false ]]; then
  run_tests Bria.StatusBridge.IntegrationTests || status=1
fi
exit "$status"
