#!/bin/sh
# Runs each event (a shell script, not JSON: the worker passes payloads through) with $API and $ID (the request
# id) set, and answers with its standard output (its standard error goes to the log).
set -u
export API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  ID=$(curl -sS -D /tmp/headers -o /tmp/event "$API/invocation/next" && grep -i '^Lambda-Runtime-Aws-Request-Id:' /tmp/headers | tr -d '[:space:]' | cut -d: -f2)
  export ID
  sh /tmp/event > /tmp/output || true
  curl -sS -o /dev/null --data-binary @/tmp/output "$API/invocation/$ID/response" || true
done
