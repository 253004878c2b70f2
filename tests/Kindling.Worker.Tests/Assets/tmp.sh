#!/bin/sh
# Appends a line to /tmp/invocations per event and answers with the count: /tmp survives warm invocations.
set -eu
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  id=$(curl -sS -D /tmp/headers -o /dev/null "$api/invocation/next" && grep -i '^Lambda-Runtime-Aws-Request-Id:' /tmp/headers | tr -d '[:space:]' | cut -d: -f2)
  echo "$id" >> /tmp/invocations
  wc -l < /tmp/invocations | tr -d ' \n' > /tmp/count
  curl -sS -o /dev/null --data-binary @/tmp/count "$api/invocation/$id/response"
done
