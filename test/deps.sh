#!/usr/bin/env bash
# Installs the Debian 12 packages vic's build, tests, demo and benchmarks need, if any is missing.
# Usage: test/deps.sh [test|bench]   (bench adds the peer libraries the benchmarks compare against)
set -euo pipefail
pkgs=(build-essential postgresql-15 postgresql-server-dev-15 postgresql-common
      postgresql-15-postgis-3 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
      python3 python3-psycopg libproj-dev liblapack-dev
      default-jdk-headless libpostgresql-jdbc-java odbc-postgresql unixodbc python3-pyodbc
      chromium fonts-wqy-zenhei)
if [ "${1:-test}" = bench ]; then
  pkgs+=(bc python3-networkx python3-igraph python3-leidenalg postgresql-15-pgrouting python3-numpy python3-scipy r-base-core r-cran-spatstat)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
