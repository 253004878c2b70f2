#!/bin/sh
# Answers with the environment the runtime was started with, one NAME=value per line.
set -eu
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
tr '\0' '\n' < /proc/$$/environ > /tmp/environ
while true; do
  id=$(curl -sS -D /tmp/headers -o /dev/null "$api/invocation/next" && grep -i '^Lambda-Runtime-Aws-Request-Id:' /tmp/headers | tr -d '[:space:]' | cut -d: -f2)
  curl -sS -o /dev/null --data-binary @/tmp/environ "$api/invocation/$id/response"
done
