#!/usr/bin/env bash
# test/report/run.sh: the demo report suite.  Installs Debian's chromium (and fonts-wqy-zenhei, a CJK
# font for the firm names in the screenshot) when missing, as test/deps.sh installs the other
# packages, then runs test/report/check.py: builds the report of
# make demo (test/demo.sql + test/report/report.py) on a 5,000-firm sample economy, checks the
# GeoJSON files against the database and renders report.html in headless Chromium (screenshot not
# blank, every SVG with shapes, no console message).
# Runs inside pg_virtualenv (PGHOST, PGPORT, PGUSER exported) with vic installed; creates the
# database vic_report_test.  VIC_REPORT_FIRMS changes the size of the sample.
# Prints TAP lines; exit status 0 iff every test passed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
missing=()
for p in chromium fonts-wqy-zenhei python3-psycopg; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "# installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; } > /dev/null 2>&1 ||
    echo "# apt-get install ${missing[*]} failed"
fi
exec /usr/bin/python3 "$here/check.py"
