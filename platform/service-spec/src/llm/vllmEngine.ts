/**
 * The engine every llm-service runs: vLLM's OpenAI-compatible server image, pinned by digest so
 * every replica and every environment runs the same bytes. One place: a new engine release is a
 * change here and a new llm-service template version (its metric names and flags are the ones
 * the skeleton's alerts, dashboard and arguments use).
 *
 * The digest is the one public deployments pin for this tag; it could not be pulled or checked
 * where this was written (no registry access): `crane digest docker.io/vllm/vllm-openai:v0.11.0`
 * confirms it.
 */
export const VLLM_ENGINE = {
  image: 'docker.io/vllm/vllm-openai',
  version: 'v0.11.0',
  digest: 'sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c',
} as const;
