#!/usr/bin/env bash
# Input-output benchmark: vic.linkages and vic.leontief_inverse end to end (the aggregates over the
# flow and account tables, the LU factorisation, the results) against numpy (python3-numpy
# linalg.inv and the same sums, the data read from the same tables through python3-psycopg), on a
# dense VIC_BENCH_IO_SECTORS-sector table (default 1000), both single-threaded; then the latency of
# statement_timeout during a VIC_BENCH_IO_CANCEL-sector factorisation (default 3000; 1000 at
# SCALE=small).  Prints lines "iotable: <what>: vic <x> s, numpy <y> s, ratio <numpy/vic>".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export VIC_BENCH_IO_SECTORS=${VIC_BENCH_IO_SECTORS:-1000}
if [ "${VIC_BENCH_SCALE:-full}" = small ]; then
  export VIC_BENCH_IO_CANCEL=${VIC_BENCH_IO_CANCEL:-1000}
else
  export VIC_BENCH_IO_CANCEL=${VIC_BENCH_IO_CANCEL:-3000}
fi

psql -X -q -v ON_ERROR_STOP=1 -v n="$VIC_BENCH_IO_SECTORS" \
  -v flow=vic_bench_io_flow -v account=vic_bench_io_account -f "$here/iotable_data.sql" >/dev/null
/usr/bin/python3 "$here/iotable_peers.py"
