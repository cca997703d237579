#!/usr/bin/env bash
# The paydesk-sandbox binary: --json on one line, --port 0, a clean stop on SIGTERM and SIGINT.
set -u
bin=$1
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
n=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; failed=1; }
failed=0

start () {
  "$bin" "$@" >"$out" 2>"$err" &
  pid=$!
  for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.05; done
}

start --port 0 --json --demo
line=$(head -n 1 "$out")
if python3 -c '
import json, sys
d = json.loads(sys.argv[1])
p, g = d["pesogate"], d["paysgator"]
assert p["base_url"].startswith("http://127.0.0.1:") and p["base_url"].endswith("/pesogate/api/v1")
assert p["api_key"] and p["api_secret"]
assert g["base_url"].endswith("/paysgator/api/v1")
assert g["live_key"].startswith("live_") and g["test_key"].startswith("test_")
assert len(g["plans"]) >= 1
' "$line"; then ok "--json prints the URLs, keys and plans on one line"; else not_ok "--json output: $line"; fi
[ "$(wc -l <"$out")" -eq 1 ] && ok "--json prints exactly one line" || not_ok "--json printed more than one line"

base=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["pesogate"]["base_url"])' "$line")
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/payments/x/status")
[ "$code" = 401 ] && ok "the API answers on the printed URL (401 without keys)" || not_ok "expected 401, got $code"

kill -TERM "$pid"; wait "$pid"; rc=$?
[ $rc -eq 0 ] && ok "SIGTERM stops it cleanly" || not_ok "SIGTERM exit status $rc"

start --port 0
grep -q 'X-Api-Secret' "$out" && grep -q '4242 4242 4242 4242' "$out" && ok "text mode prints keys and test cards" || not_ok "text mode output"
kill -INT "$pid"; wait "$pid"; rc=$?
[ $rc -eq 0 ] && ok "SIGINT stops it cleanly" || not_ok "SIGINT exit status $rc"

"$bin" --port 99999 >/dev/null 2>&1; rc=$?
[ $rc -ne 0 ] && ok "a bad port is refused" || not_ok "a bad port was accepted"

echo "1..$n"
exit $failed
