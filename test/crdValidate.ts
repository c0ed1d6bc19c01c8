// Validates custom resources the platform's controllers define (KEDA, Argo Rollouts, Karpenter)
// against their CRDs' own schemas (copied into crd-schemas/, see SOURCE.md), with ajv. The schemas close every
// nested object; the top level is closed here, so a misspelled field anywhere is a problem.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

const SCHEMAS: Record<string, string> = {
  'keda.sh/v1alpha1/ScaledObject': 'keda.sh_scaledobject_v1alpha1.json',
  'argoproj.io/v1alpha1/Rollout': 'argoproj.io_rollout_v1alpha1.json',
  'argoproj.io/v1alpha1/AnalysisTemplate': 'argoproj.io_analysistemplate_v1alpha1.json',
  'karpenter.sh/v1/NodePool': 'karpenter.sh_nodepool_v1.json',
  'karpenter.k8s.aws/v1/EC2NodeClass': 'karpenter.k8s.aws_ec2nodeclass_v1.json',
};

const TOP_LEVEL = new Set(['apiVersion', 'kind', 'metadata', 'spec']);
const INT_RANGES = { int32: 2 ** 31, int64: 2 ** 63 };

// The files carry x-kubernetes-* keywords (strict: false lets them be); int32/int64 are checked as
// integers in range, date-time appears only under `status`, which rendered objects never set.
const ajv = new Ajv({ strict: false, allErrors: true });
for (const [name, limit] of Object.entries(INT_RANGES))
  ajv.addFormat(name, { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -limit && n < limit });
ajv.addFormat('date-time', true);

const compiled = new Map<string, ValidateFunction>();

/** Whether this file validates the kind (apiVersion/kind). */
export const hasCrdSchema = (apiVersion: string, kind: string): boolean => `${apiVersion}/${kind}` in SCHEMAS;

/** Every problem with one custom resource, as "<kind>/<name> <path>: <message>". */
export function validateCustomResource(
  object: { apiVersion: string; kind: string; metadata?: { name?: string } } & Record<string, unknown>,
): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const where = `${object.kind}/${object.metadata?.name}`;
  const file = SCHEMAS[key];
  if (!file) return [`${where}: no CRD schema for ${key}`];
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(new URL(`./crd-schemas/${file}`, import.meta.url), 'utf-8')) as object);
    compiled.set(key, validate);
  }
  const problems = Object.keys(object)
    .filter((k) => !TOP_LEVEL.has(k))
    .map((k) => `${where} /${k}: unknown top-level field`);
  if (!validate(object)) {
    problems.push(
      ...(validate.errors ?? []).map(
        (e) =>
          `${where} ${e.instancePath || '/'}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
      ),
    );
  }
  return problems;
}
