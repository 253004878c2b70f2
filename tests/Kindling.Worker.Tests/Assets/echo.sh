#!/bin/sh
# Minimal runtime: answers each event with the event itself; says which request it handles on stdout.
set -eu
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  id=$(curl -sS -D /tmp/headers -o /tmp/event "$api/invocation/next" && grep -i '^Lambda-Runtime-Aws-Request-Id:' /tmp/headers | tr -d '[:space:]' | cut -d: -f2)
  echo "handling $id"
  curl -sS -o /dev/null --data-binary @/tmp/event "$api/invocation/$id/response"
done
