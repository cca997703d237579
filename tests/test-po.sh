#!/usr/bin/env bash
# Every language in po/LINGUAS compiles with msgfmt's checks and translates
# every message of a template made now from po/POTFILES.in, so a new string
# fails this test until it is translated.
# usage: test-po.sh SOURCE_DIR BUILD_DIR
set -u
# msgfmt --statistics is parsed: its messages must be in English.
export LC_ALL=C
unset LANGUAGE
src=$1
build=$2
n=0 failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; failed=1; }
diag () { sed 's/^/# /'; }

cd "$src" || exit 1
mkdir -p "$build"
tmp=$(mktemp -d "$build/test-po.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# The keywords and flags of meson's i18n.gettext (preset: 'glib'); .ui, metainfo,
# desktop and gschema files go through xgettext's own ITS and desktop support,
# as in the paydesk-pot target.
xgettext_args=(
  --package-name=paydesk --from-code=UTF-8 --add-comments
  -k_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format
)

# The msgids of a PO file on stdin, one a line, header left out.
msgids () {
  awk '/^msgid / { id = substr($0, 7); on = 1; next }
       on && /^"/ { id = id $0; next }
       on { on = 0; gsub(/""/, "", id); if (id != "\"\"" && id != "") print id }'
}

langs=$(sed 's/#.*//' po/LINGUAS | tr -s ' \t' '\n' | sed '/^$/d')
if [ -n "$langs" ]; then ok "po/LINGUAS lists $(echo $langs)"; else not_ok "po/LINGUAS lists no language"; fi

pot=$tmp/paydesk.pot
if xgettext "${xgettext_args[@]}" -f po/POTFILES.in -D "$src" -o "$pot" 2>"$tmp/xgettext.log" && [ -s "$pot" ]
then
  ok "template generated from po/POTFILES.in ($(grep -c '^msgid ' "$pot") msgids)"
else
  not_ok "xgettext could not generate the template from po/POTFILES.in"
  diag < "$tmp/xgettext.log"
  pot=""
fi

for ll in $langs; do
  po=po/$ll.po
  if [ ! -f "$po" ]; then
    not_ok "$po exists"
    continue
  fi

  if msgfmt --check --check-format --check-header --check-accelerators=_ -o /dev/null "$po" 2>"$tmp/msgfmt.log"
  then ok "$po passes msgfmt --check"
  else not_ok "$po passes msgfmt --check"; diag < "$tmp/msgfmt.log"; fi

  if grep -qx "\"Language: $ll\\\\n\"" "$po" && grep -q '^"Plural-Forms: nplurals=' "$po"
  then ok "$po declares Language: $ll and its Plural-Forms"
  else not_ok "$po declares Language: $ll and its Plural-Forms"; fi

  [ -n "$pot" ] || continue
  merged=$tmp/$ll.merged.po
  if ! msgmerge --quiet -o "$merged" "$po" "$pot" 2>"$tmp/msgmerge.log"; then
    not_ok "$po merges with the template"; diag < "$tmp/msgmerge.log"
    continue
  fi
  stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$merged" 2>&1)
  fuzzy=$(echo "$stats" | grep -oE '[0-9]+ fuzzy' | grep -oE '[0-9]+' || true)
  untranslated=$(echo "$stats" | grep -oE '[0-9]+ untranslated' | grep -oE '[0-9]+' || true)
  if [ -z "${fuzzy}${untranslated}" ] && echo "$stats" | grep -qE '^[0-9]+ translated message'; then
    ok "$po is complete against the current sources ($stats)"
  else
    not_ok "$po is complete against the current sources ($stats)"
    msgattrib --no-wrap --untranslated --no-obsolete "$merged" | msgids | sed 's/^/missing: /' | diag
    msgattrib --no-wrap --only-fuzzy --no-obsolete "$merged" | msgids | sed 's/^/fuzzy: /' | diag
  fi
done

echo "1..$n"
exit $failed
