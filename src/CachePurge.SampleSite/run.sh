#!/usr/bin/env bash
# The sample: Orchard Core with CachePurge on http://127.0.0.1:5000, set up by the module's sample recipe
# (SQLite under App_Data), behind Varnish on http://127.0.0.1:6081. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=src/CachePurge.SampleSite

bash .ci/install-caches
source .ci/orchard-packages

work="$(mktemp -d /tmp/cachepurge-sample-XXXXXX)"
sed -e 's/{{ORIGIN_PORT}}/5000/' "$here/varnish.vcl" > "$work/default.vcl"
chmod -R a+rwX "$work"
/usr/sbin/varnishd -F -n "$work/varnishd" -a 127.0.0.1:6081 -f "$work/default.vcl" -s malloc,256m -T none &
varnish=$!
trap 'kill "$varnish" 2>/dev/null; wait "$varnish" 2>/dev/null; rm -rf "$work"' EXIT

dotnet run -c Release --project "$here" -- --urls http://127.0.0.1:5000 --contentRoot "$PWD/$here"
