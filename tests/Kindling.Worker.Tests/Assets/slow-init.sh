#!/bin/sh
# Spends SLOW_INIT_SECONDS before its first next, then behaves as echo.sh.
set -eu
sleep "${SLOW_INIT_SECONDS:-0}"
exec /var/task/echo.sh
