# Sourced by test/run.sh, test/demo.sh and test/bench/run.sh: build and install vic.
# Several work trees on one machine share the installed extension, so the caller takes
# /tmp/vic-install.lock (fd 9) first and keeps it while its cluster uses the installed files.
# The cluster itself is started with fd 9 closed (pg_virtualenv ... 9>&-), so a server left
# behind by a killed run never holds the lock.
# Usage: vic_build_install [PG_CFLAGS]; returns non-zero when the build or install fails.
vic_build_install() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  exec 9>/tmp/vic-install.lock
  flock 9
  make -s clean >/dev/null && make -s PG_CFLAGS="${1:-}" >/dev/null && $sudo make -s install >/dev/null
}
