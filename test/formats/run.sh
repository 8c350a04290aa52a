#!/usr/bin/env bash
# test/formats/run.sh: committed fixtures of every vic type's stored and binary forms are read by
# the current build, and the current build writes them bit for bit (test/formats/formats.py).
# Runs inside pg_virtualenv; prints TAP.
exec /usr/bin/python3 "$(dirname "$0")/formats.py" "$@"
