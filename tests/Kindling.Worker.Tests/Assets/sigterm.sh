#!/bin/sh
# Waits for events in the background so that a SIGTERM runs its trap at once.
set -u
trap 'echo "SIGTERM received"; exit 0' TERM
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  curl -sS -D /tmp/headers -o /tmp/event "$api/invocation/next" &
  wait $!
  id=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' /tmp/headers | tr -d '[:space:]' | cut -d: -f2)
  curl -sS -o /dev/null --data-binary @/tmp/event "$api/invocation/$id/response"
done
