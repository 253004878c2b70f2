#!/bin/sh
# Takes an event, then the runtime process itself touches 300 MiB (beyond the function's memory).
set -eu
curl -sS -o /dev/null "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next"
exec /usr/bin/python3 -c 'data = b"x" * (300 * 1024 * 1024)'
