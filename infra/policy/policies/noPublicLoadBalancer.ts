import type { ResourceProps } from './resourceProps.js';
import type { ResourceValidationPolicy } from '@pulumi/policy';

// A Service of type LoadBalancer is internet-facing by default on EKS and GKE. Model endpoints are
// reached through the mesh; a public one is an exception someone reviewed, so it is listed in the
// policy configuration (`allowed: [namespace/name]`), not opted into by the service itself.

const INTERNAL_ANNOTATIONS: Record<string, string[]> = {
  'service.beta.kubernetes.io/aws-load-balancer-scheme': ['internal'],
  'service.beta.kubernetes.io/aws-load-balancer-internal': ['true', '0.0.0.0/0'],
  'networking.gke.io/load-balancer-type': ['Internal'],
  'cloud.google.com/load-balancer-type': ['Internal'],
};

export interface PublicLoadBalancerConfig {
  /** `namespace/name` of Services (or names of AWS load balancers) allowed to be internet-facing. */
  allowed?: string[];
}

export function publicLoadBalancerProblem(type: string, props: ResourceProps, config: PublicLoadBalancerConfig): string | undefined {
  const allowed = new Set(config.allowed ?? []);
  if (type === 'kubernetes:core/v1:Service' && props.spec?.type === 'LoadBalancer') {
    const id = `${props.metadata?.namespace ?? 'default'}/${props.metadata?.name ?? ''}`;
    const annotations: Record<string, string> = props.metadata?.annotations ?? {};
    const internal = Object.entries(INTERNAL_ANNOTATIONS).some(([key, values]) => values.includes(annotations[key] ?? ''));
    if (!internal && !allowed.has(id))
      return `Service ${id} would get a public load balancer: annotate it internal (e.g. service.beta.kubernetes.io/aws-load-balancer-scheme: internal) or add "${id}" to this policy's allowed list`;
  }
  if ((type === 'aws:lb/loadBalancer:LoadBalancer' || type === 'aws:alb/loadBalancer:LoadBalancer') && props.internal !== true) {
    const name = String(props.name ?? '');
    if (!allowed.has(name))
      return `Load balancer ${name || '(unnamed)'} is internet-facing: set internal: true or add its name to this policy's allowed list`;
  }
  return undefined;
}

export const noPublicLoadBalancer: ResourceValidationPolicy = {
  name: 'no-public-load-balancer',
  description: 'No internet-facing load balancer unless the policy configuration allows it by name.',
  enforcementLevel: 'mandatory',
  configSchema: { properties: { allowed: { type: 'array', items: { type: 'string' }, default: [] } } },
  validateResource: (args, reportViolation) => {
    const problem = publicLoadBalancerProblem(args.type, args.props, args.getConfig<PublicLoadBalancerConfig>());
    if (problem) reportViolation(problem);
  },
};
