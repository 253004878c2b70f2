#!/bin/sh
# An event N answers with N bytes of 'a' and remembers what the API answered to that post; the event "last"
# answers with what was remembered.
set -eu
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  id=$(curl -sS -D /tmp/headers -o /tmp/event "$api/invocation/next" && grep -i '^Lambda-Runtime-Aws-Request-Id:' /tmp/headers | tr -d '[:space:]' | cut -d: -f2)
  event=$(cat /tmp/event)
  if [ "$event" = '"last"' ]; then
    curl -sS -o /dev/null --data-binary @/tmp/last "$api/invocation/$id/response"
  else
    head -c "$event" /dev/zero | tr '\0' 'a' > /tmp/body
    curl -sS -w ' %{http_code}' --data-binary @/tmp/body "$api/invocation/$id/response" > /tmp/last
  fi
done
