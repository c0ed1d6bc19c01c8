// Validates rendered Kubernetes objects with real, generated validators:
// - kubernetes-models (ajv validators generated from the Kubernetes OpenAPI spec, and from the
//   prometheus-operator and Istio CRDs): types, required fields, enums, formats;
// - unknown fields, which those validators let through: every key must be a field of the
//   Kubernetes API type, as @kubernetes/client-node's models (generated from the Kubernetes 1.36
//   OpenAPI spec) list them. kubectl's strict field validation rejects the same keys.
import * as k8s from '@kubernetes/client-node';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as core from 'kubernetes-models/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import * as istioNetworking from '@kubernetes-models/istio/networking.istio.io/v1';
import * as istioSecurity from '@kubernetes-models/istio/security.istio.io/v1';
import { hasCrdSchema, validateCustomResource } from '../../../test/crdValidate.js';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

const MODELS: Record<string, ModelClass> = {
  'apps/v1/Deployment': apps.Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': autoscaling.HorizontalPodAutoscaler,
  'v1/ConfigMap': core.ConfigMap,
  'v1/Service': core.Service,
  'v1/ServiceAccount': core.ServiceAccount,
  'v1/PersistentVolumeClaim': core.PersistentVolumeClaim,
  'networking.k8s.io/v1/NetworkPolicy': networking.NetworkPolicy,
  'policy/v1/PodDisruptionBudget': policy.PodDisruptionBudget,
  'monitoring.coreos.com/v1/ServiceMonitor': monitoring.ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': monitoring.PrometheusRule,
  'networking.istio.io/v1/VirtualService': istioNetworking.VirtualService,
  'security.istio.io/v1/PeerAuthentication': istioSecurity.PeerAuthentication,
  'security.istio.io/v1/AuthorizationPolicy': istioSecurity.AuthorizationPolicy,
};

const BUILT_IN_GROUPS = new Set(['', 'apps', 'autoscaling', 'networking.k8s.io', 'policy', 'batch', 'rbac.authorization.k8s.io']);

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Every problem with one object, as "<kind>/<name> <path>: <message>". Empty when it is valid. */
export function validateObject(object: KubeObject): string[] {
  const where = `${object.kind}/${object.metadata?.name}`;
  // KEDA and Argo Rollouts kinds: their CRDs' own schemas (test/crdValidate.ts).
  if (hasCrdSchema(object.apiVersion, object.kind)) return validateCustomResource(object);
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!model) return [`${where}: no validator for ${object.apiVersion} ${object.kind} (add it to deliveryKubeValidate.ts)`];
  const problems: string[] = [];
  try {
    new model(structuredClone(object) as never).validate();
  } catch (error) {
    const details = (error as { errors?: { instancePath: string; message?: string }[] }).errors;
    if (details?.length) problems.push(...details.map((d) => `${where} ${d.instancePath || '/'}: ${d.message}`));
    else problems.push(`${where}: ${(error as Error).message}`);
  }
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0]! : '';
  if (BUILT_IN_GROUPS.has(group)) {
    const version = object.apiVersion.split('/').at(-1)!;
    const typeName = `${version[0]!.toUpperCase()}${version.slice(1)}${object.kind}`;
    problems.push(...unknownFields(object, typeName, '').map((p) => `${where} ${p}`));
  }
  return problems;
}

interface Attribute {
  baseName: string;
  type: string;
}
const models = k8s as unknown as Record<string, { getAttributeTypeMap?: () => Attribute[] } | undefined>;

/** Keys the API type does not have, found by walking the value along its generated type map. */
export function unknownFields(value: unknown, type: string, path: string): string[] {
  if (value === null || value === undefined) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    return Array.isArray(value) ? value.flatMap((item, i) => unknownFields(item, array[1]!, `${path}/${i}`)) : [];
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    return typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => unknownFields(v, map[1]!, `${path}/${k}`)) : [];
  }
  const model = models[type];
  if (!model?.getAttributeTypeMap || typeof value !== 'object' || Array.isArray(value)) return [];
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
    const childType = fields.get(key);
    if (!childType) return [`${path}/${key}: unknown field of ${type} (known: ${[...fields.keys()].join(', ')})`];
    return unknownFields(child, childType, `${path}/${key}`);
  });
}
