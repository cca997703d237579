#!/usr/bin/env bash
# Every source file with translatable strings is listed in po/POTFILES.in,
# and every listed file exists.
set -u
src=$1
n=0 failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; failed=1; }
cd "$src" || exit 1

listed=$(grep -v '^\s*#' po/POTFILES.in | sed '/^\s*$/d' | sort -u)
marked=$( { grep -rlE '\b(_|N_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"' src --include='*.c';
            grep -rl 'translatable="yes"' src --include='*.ui';
            ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml 2>/dev/null; } | sort -u)

missing=$(comm -13 <(echo "$listed") <(echo "$marked"))
if [ -z "$missing" ]; then ok "every file with translatable strings is in POTFILES.in"
else not_ok "missing from po/POTFILES.in: $(echo $missing)"; fi

gone=""
for f in $listed; do [ -f "$f" ] || gone="$gone $f"; done
if [ -z "$gone" ]; then ok "every file in POTFILES.in exists"; else not_ok "listed but absent:$gone"; fi

echo "1..$n"
exit $failed
