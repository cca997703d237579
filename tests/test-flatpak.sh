#!/usr/bin/env bash
# The Flatpak manifest parses, and grants nothing beyond what Paydesk needs.
set -u
manifest=$1
n=0 failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; failed=1; }

if out=$(G_DEBUG=fatal-warnings flatpak-builder --show-manifest "$manifest" 2>&1); then
  ok "flatpak-builder parses the manifest"
else
  not_ok "flatpak-builder --show-manifest: $out"
fi

if python3 - "$manifest" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
allowed = ["--share=network", "--share=ipc", "--socket=fallback-x11", "--socket=wayland", "--device=dri"]
args = m.get("finish-args", [])
extra = [a for a in args if a not in allowed]
missing = [a for a in allowed if a not in args]
if extra or missing:
    print("# extra: %s missing: %s" % (extra, missing))
    sys.exit(1)
PY
then ok "finish-args are exactly network, ipc, fallback-x11, wayland, dri"; else not_ok "finish-args"; fi

if python3 - "$manifest" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
assert m["id"] == "io.github.paydesk.Paydesk"
assert m["runtime"] == "org.gnome.Platform" and m["sdk"] == "org.gnome.Sdk"
mods = {mod["name"]: mod for mod in m["modules"]}
qr = mods["libqrencode"]["sources"][0]
assert qr["type"] == "archive" and len(qr.get("sha256", "")) == 64
assert mods["paydesk"]["buildsystem"] == "meson"
PY
then ok "runtime, libqrencode archive with sha256, and the app module"; else not_ok "manifest modules"; fi

echo "1..$n"
exit $failed
