#!/bin/sh
# Answers one event, then exits (as Node's runtime does after reporting an uncaught exception).
set -eu
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
id=$(curl -sS -D /tmp/headers -o /tmp/event "$api/invocation/next" && grep -i '^Lambda-Runtime-Aws-Request-Id:' /tmp/headers | tr -d '[:space:]' | cut -d: -f2)
curl -sS -o /dev/null --data-binary @/tmp/event "$api/invocation/$id/response"
exit 7
