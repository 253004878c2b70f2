#!/bin/sh
# Runs each event (a JSON string holding a shell script) with $API and $ID set, and answers with its output.
set -u
export API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  ID=$(curl -sS -D /tmp/headers -o /tmp/event "$API/invocation/next" && grep -i '^Lambda-Runtime-Aws-Request-Id:' /tmp/headers | tr -d '[:space:]' | cut -d: -f2)
  export ID
  script=$(sed -e 's/^"//' -e 's/"$//' -e 's/\\"/"/g' /tmp/event)
  sh -c "$script" > /tmp/output 2>&1 || true
  curl -sS -o /dev/null --data-binary @/tmp/output "$API/invocation/$ID/response" || true
done
