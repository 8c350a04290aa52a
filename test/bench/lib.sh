# Shared by the benchmarks that time SQL statements (sourced): run1, timepair, ratio.
# Needs PSQL, an array holding the psql command line (e.g. PSQL=(psql -X -q -v ON_ERROR_STOP=1 -At)).

# one run of a query, in seconds: server-side execution time from EXPLAIN ANALYZE (no client
# transfer or connection start-up in the figure).  $1 = settings, $2 = query
run1() {
  local t
  t=$("${PSQL[@]}" -c "$1 EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) $2" | sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p')
  echo "$t / 1000" | bc -l
}

# Two measurements taken in turns, best of three each, after one untimed run of both: sets the
# variables a and b.  Taking turns puts both under the same conditions when the machine is busy
# (writeback after loading, other jobs).  $1/$2 = settings and query of a, $3/$4 = those of b
timepair() {
  local ta tb i
  run1 "$1" "$2" >/dev/null
  run1 "$3" "$4" >/dev/null
  a=""; b=""
  for i in 1 2 3; do
    ta=$(run1 "$1" "$2")
    tb=$(run1 "$3" "$4")
    if [ -z "$a" ] || [ "$(echo "$ta < $a" | bc -l)" = 1 ]; then a=$ta; fi
    if [ -z "$b" ] || [ "$(echo "$tb < $b" | bc -l)" = 1 ]; then b=$tb; fi
  done
  a=$(printf '%.3f' "$a")
  b=$(printf '%.3f' "$b")
}

ratio() {
  if [ "$(echo "$2 > 0" | bc -l)" = 1 ]; then printf '%.2f' "$(echo "$1 / $2" | bc -l)"; else printf 'n/a'; fi
}

