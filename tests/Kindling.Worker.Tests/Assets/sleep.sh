#!/bin/sh
# Takes each event and never answers.
set -eu
curl -sS -o /dev/null "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next"
echo "sleeping"
sleep 600
