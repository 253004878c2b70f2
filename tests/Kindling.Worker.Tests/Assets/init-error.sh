#!/bin/sh
# Fails its Init as the runtime clients do: POST init/error, log what the API answered, exit.
set -eu
printf '%s' '{"errorMessage":"Cannot load handler","errorType":"Runtime.ImportModuleError","requestId":"","stackTrace":[]}' > /tmp/error
answer=$(curl -sS -w ' %{http_code}' -H 'Lambda-Runtime-Function-Error-Type: Runtime.ImportModuleError' \
  --data-binary @/tmp/error "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/init/error")
echo "init/error answered: $answer"
exit 1
