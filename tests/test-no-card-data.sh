#!/usr/bin/env bash
# test-no-card-data.sh: after the whole suite, no card number or security code
# the tests typed is anywhere it could have been kept.
#
# Runs last (priority -100, alone). Looks through every file under the test
# session's home ($PAYDESK_TEST_HOME, set by build-aux/dev test), meson's test
# logs (the build directory is $1), and every item of Paydesk's keyring schema,
# for the spec's eight test cards (digits alone, grouped as printed, grouped
# 4-4-4-4) and the security codes the tests use. Prints TAP; a finding names
# the file, never the number.
set -u

build_dir=${1:-}
schema=io.github.paydesk.Paydesk.Account

# The spec's test cards as printed there; and the tests' distinctive codes.
cards=(
  "4111 1111 1111 1111"
  "5555 5555 5555 4444"
  "3782 822463 10005"
  "4111 1111 1111 1112"
  "4242 4242 4242 4242"
  "5123 4500 0000 0008"
  "3400 0000 0000 009"
  "4000 0000 0000 0002"
)
codes=(739 8412)

# Every way a number may have been written down.
patterns=()
for card in "${cards[@]}"; do
  digits=${card// /}
  patterns+=("$digits" "$card" "$(echo "$digits" | sed -E 's/(....)/\1 /g; s/ $//')"
             "$(echo "$digits" | sed -E 's/(....)/\1-/g; s/-$//')")
done
# A code is short: it counts where it stands alone, not inside another
# number, a version or a time ("0.739 s"), nor as a TAP test's number.
code_regex="(^|[^0-9A-Za-z.:,])($(IFS='|'; echo "${codes[*]}"))([^0-9A-Za-z.,]|$)"
tap_line='^(not )?ok [0-9]+ '

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; failed=1; }
skip () { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

pattern_file=$(mktemp)
trap 'rm -f "$pattern_file"' EXIT
printf '%s\n' "${patterns[@]}" | sort -u > "$pattern_file"

# Files under @1 holding a card number or a code, one per line (names only).
# Card numbers are looked for in every byte; a three-digit code would turn up
# by chance in binary data, so codes are looked for in text files, and in
# SQLite databases in what SQLite reads back from them (WAL included).
files_with_card_data () {
  local file
  grep -rlaF -f "$pattern_file" -- "$1" 2>/dev/null
  grep -rlIE -- "$code_regex" "$1" 2>/dev/null | while IFS= read -r file; do
    grep -aE -- "$code_regex" "$file" | grep -qavE -- "$tap_line" && echo "$file"
  done
  find "$1" -type f -name '*.db' 2>/dev/null | while IFS= read -r file; do
    sqlite_text "$file" | grep -qaE -- "$code_regex" && echo "$file"
  done
}

# Every text and number a database holds, one value a line.
sqlite_text () {
  /usr/bin/python3 - "$1" <<'PY' 2>/dev/null
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
    try:
        for row in db.execute('SELECT * FROM "%s"' % table.replace('"', '""')):
            for value in row:
                if isinstance(value, (str, int, float)):
                    print(value)
    except sqlite3.DatabaseError:
        pass
PY
}

# The test home: configuration, data, caches, the ledger, WebKit's folders.
if [ -z "${PAYDESK_TEST_HOME:-}" ] || [ ! -d "${PAYDESK_TEST_HOME:-}" ]; then
  skip "no card data under the test home" "PAYDESK_TEST_HOME is not set: run through build-aux/dev test"
else
  n_files=$(find "$PAYDESK_TEST_HOME" -type f 2>/dev/null | wc -l)
  found=$(files_with_card_data "$PAYDESK_TEST_HOME" | sort -u)
  if [ -z "$found" ]; then
    ok "no card data in the $n_files files under the test home"
  else
    not_ok "card data under the test home, in: $(echo $found)"
  fi
fi

# What the tests printed, as meson keeps it.
if [ -z "$build_dir" ] || [ ! -d "$build_dir/meson-logs" ]; then
  skip "no card data in the test logs" "no meson-logs folder was given"
else
  # The JUnit file is written when the run ends: what is there now is the last run's.
  found=$(files_with_card_data "$build_dir/meson-logs" | grep -v '\.junit\.xml$' | sort -u)
  if [ -z "$found" ]; then
    ok "no card data in meson's test logs"
  else
    not_ok "card data in the test logs: $(echo $found)"
  fi
fi

# The keyring: every item of Paydesk's schema, attributes and secrets.
if ! command -v secret-tool >/dev/null 2>&1; then
  skip "no card data in the keyring" "secret-tool is not installed"
elif ! gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
       --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true; then
  skip "no card data in the keyring" "no keyring on the session bus"
else
  items=$(secret-tool search --all --unlock xdg:schema "$schema" 2>&1)
  if printf '%s' "$items" | grep -qaF -f "$pattern_file" || printf '%s' "$items" | grep -qaE -- "$code_regex"; then
    not_ok "card data in the keyring's $schema items"
  else
    ok "no card data in the keyring's $schema items ($(printf '%s\n' "$items" | grep -c '^\[') items)"
  fi
fi

echo "1..$n"
exit $failed
