#!/bin/bash
# Streams its responses (Lambda-Runtime-Function-Response-Mode: streaming, chunked). The event "ok" answers
# with two chunks; "fail" sends a chunk and then the error in trailers, over a raw connection (curl cannot send
# request trailers).
set -eu
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  id=$(curl -sS -D /tmp/headers -o /tmp/event "$api/invocation/next" && grep -i '^Lambda-Runtime-Aws-Request-Id:' /tmp/headers | tr -d '[:space:]' | cut -d: -f2)
  if [ "$(cat /tmp/event)" = '"ok"' ]; then
    { printf 'first chunk,'; printf ' second chunk'; } | curl -sS -o /dev/null -H 'Lambda-Runtime-Function-Response-Mode: streaming' \
      -H 'Transfer-Encoding: chunked' --data-binary @- "$api/invocation/$id/response"
  else
    error=$(printf '%s' '{"errorMessage":"stream broke","errorType":"StreamError"}' | base64 -w0)
    exec 3<>"/dev/tcp/${AWS_LAMBDA_RUNTIME_API%:*}/${AWS_LAMBDA_RUNTIME_API#*:}"
    printf 'POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s\r\nLambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\nTrailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\nLambda-Runtime-Function-Error-Type: StreamError\r\nLambda-Runtime-Function-Error-Body: %s\r\n\r\n' \
      "$id" "$AWS_LAMBDA_RUNTIME_API" "$error" >&3
    head -n 1 <&3 | tr -d '\r'
    exec 3<&-
  fi
done
