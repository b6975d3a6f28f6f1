#!/usr/bin/env bash
# Schemathesis (PyPI) against a live `pledger serve` with a token: the API is checked against its own
# description (docs/openapi.yaml, served at /v1/openapi.yaml) from outside. Bounded in time; exits
# non-zero on any failure Schemathesis reports.
#
#   scripts/schemathesis.sh [SECONDS]     (default 120; needs a built .build/debug/pledger)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-120}"
pledger="${PLEDGER_BIN:-.build/debug/pledger}"
[ -x "$pledger" ] || swift build --product pledger
venv="${SCHEMATHESIS_VENV:-.build/schemathesis-venv}"
if [ ! -x "$venv/bin/schemathesis" ]; then
    echo "Installing schemathesis into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis>=4,<5"
fi

venv="$(realpath "$venv")"
work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

db="$work/ledger.sqlite"
token="$(env -u PLEDGER_DB "$pledger" token create --db "$db" --name schemathesis \
    --scope pledges:write,reminders:write,reports:read,endpoints:write,supporters:write)"
# Webhook secrets are configured so the webhook routes verify (and refuse) rather than report them off.
# --no-deliver: the endpoints Schemathesis makes up are never contacted (this machine sends nothing out).
PLEDGER_STRIPE_WEBHOOK_SECRETS=whsec_schemathesis \
    PLEDGER_STANDARD_WEBHOOK_SECRETS=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw \
    "$pledger" serve --db "$db" --host 127.0.0.1 --port 0 --no-deliver --box Fixtures/box/box.toml \
    > "$work/serve.out" 2> "$work/serve.log" &
server=$!
port=""
for _ in $(seq 1 100); do
    port="$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/serve.out" | head -1)"
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "pledger serve did not start:"; cat "$work/serve.log"; exit 1; }

echo "Schemathesis for ${seconds}s against http://127.0.0.1:$port"
status=0
# Every check but positive_data_acceptance: a schema-valid body can still break a business rule the
# schema cannot state (a currency's minimum, an unknown pledge id), and those 422s are correct.
# Run from the temporary directory: Schemathesis keeps its example database in ./.schemathesis.
(cd "$work" && "$venv/bin/schemathesis" run "http://127.0.0.1:$port/v1/openapi.yaml" \
    --url "http://127.0.0.1:$port" \
    --header "Authorization: Bearer $token" \
    --checks all --exclude-checks positive_data_acceptance \
    --max-time "$seconds" --workers 2 --seed 12 \
    --no-color) || status=$?
if [ "$status" -ne 0 ]; then
    echo "Schemathesis reported failures (exit $status); the server's log:"
    tail -n 20 "$work/serve.log"
fi
exit "$status"
