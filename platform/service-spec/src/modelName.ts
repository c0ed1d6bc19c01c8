// The name and version a service serves its model under (the Open Inference Protocol's
// /v2/models/{name}/versions/{version}). The generated service checks MODEL_NAME and MODEL_VERSION
// with the same patterns (config.py; templates/model-service/test/service-config.test.ts holds them equal).

/** Lower-case letters, digits, '-', '_' or '.', starting and ending with a letter or digit. */
export const MODEL_NAME_PATTERN = '^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$';
export const MAX_MODEL_NAME_LENGTH = 63;

/** Letters, digits, '.', '_' or '-', starting with a letter or digit (1, 2024-06-01, v1.2). */
export const MODEL_VERSION_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$';
export const MAX_MODEL_VERSION_LENGTH = 63;
