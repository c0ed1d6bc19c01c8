#!/usr/bin/env bash
# The post-deploy smoke test: the service lists its model on /v1/models and generates one token
# through the OpenAI API. Run with bash (the portal's dry-run keeps no executable bits). BASE_URL
# is where it answers (cd.yml port-forwards the Service); SERVED_MODEL_NAME the model it must
# serve. Exits non-zero, saying why, when either fails.
set -euo pipefail
: "${BASE_URL:?set BASE_URL, e.g. http://127.0.0.1:8000}"
: "${SERVED_MODEL_NAME:?set SERVED_MODEL_NAME}"

models=$(curl --fail-with-body --silent --show-error --max-time 30 "$BASE_URL/v1/models")
if ! jq -e --arg name "$SERVED_MODEL_NAME" 'any(.data[]; .id == $name)' <<<"$models" >/dev/null; then
  echo "::error::/v1/models does not list $SERVED_MODEL_NAME: $models"
  exit 1
fi

request=$(jq -n --arg model "$SERVED_MODEL_NAME" '{model: $model, prompt: "The capital of France is", max_tokens: 1, temperature: 0}')
answer=$(curl --fail-with-body --silent --show-error --max-time 120 \
  -H 'content-type: application/json' -d "$request" "$BASE_URL/v1/completions")
tokens=$(jq -e '.usage.completion_tokens' <<<"$answer") || {
  echo "::error::/v1/completions gave no usage.completion_tokens: $answer"
  exit 1
}
if [[ "$tokens" -lt 1 ]]; then
  echo "::error::/v1/completions generated no token: $answer"
  exit 1
fi
echo "$SERVED_MODEL_NAME answered with $(jq -c '.choices[0].text' <<<"$answer") ($tokens token)"
