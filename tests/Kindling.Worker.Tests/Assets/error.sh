#!/bin/sh
# Answers each event with an invocation error, as a runtime client reports a handler's exception.
set -eu
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  id=$(curl -sS -D /tmp/headers -o /dev/null "$api/invocation/next" && grep -i '^Lambda-Runtime-Aws-Request-Id:' /tmp/headers | tr -d '[:space:]' | cut -d: -f2)
  printf '{"errorMessage":"Handler fails","errorType":"Exception","requestId":"%s","stackTrace":[]}' "$id" > /tmp/error
  curl -sS -w '%{http_code} ' -H 'Lambda-Runtime-Function-Error-Type: Unhandled' --data-binary @/tmp/error "$api/invocation/$id/error"
  echo
done
