// Validates Karpenter custom resources against their CRDs' own schemas (copied into crd-schemas/,
// see SOURCE.md), with ajv. Nested objects are closed by the schemas; the top level is closed here.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

const SCHEMAS: Record<string, string> = {
  'karpenter.sh/v1/NodePool': 'karpenter.sh_nodepool_v1.json',
  'karpenter.k8s.aws/v1/EC2NodeClass': 'karpenter.k8s.aws_ec2nodeclass_v1.json',
};
const TOP_LEVEL = new Set(['apiVersion', 'kind', 'metadata', 'spec']);

const ajv = new Ajv({ strict: false, allErrors: true });
for (const [name, limit] of Object.entries({ int32: 2 ** 31, int64: 2 ** 63 })) ajv.addFormat(name, { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -limit && n < limit });
ajv.addFormat('date-time', true); // only under status, which we never set
const compiled = new Map<string, ValidateFunction>();

/** Every problem with one custom resource, as "<kind>/<name> <path>: <message>". */
export function validateCustomResource(object: Record<string, any>): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const where = `${object.kind}/${object.metadata?.name}`;
  const file = SCHEMAS[key];
  if (!file) return [`${where}: no CRD schema for ${key}`];
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(new URL(`./crd-schemas/${file}`, import.meta.url), 'utf-8')) as object);
    compiled.set(key, validate);
  }
  const problems = Object.keys(object).filter((k) => !TOP_LEVEL.has(k)).map((k) => `${where} /${k}: unknown top-level field`);
  if (!validate(object)) problems.push(...(validate.errors ?? []).map((e) => `${where} ${e.instancePath || '/'}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`));
  return problems;
}
