import type { ResourceProps } from './resourceProps.js';
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';

// Permissive mTLS quietly accepts plaintext: one misconfigured client and traffic between model
// services (features, predictions) crosses the network unencrypted and unauthenticated.

const PEER_AUTHENTICATION = 'kubernetes:security.istio.io/v1:PeerAuthentication';
const HELM_RELEASE = 'kubernetes:helm.sh/v3:Release';
const ISTIO_ROOT_NAMESPACE = 'istio-system';

export function mtlsProblems(type: string, props: ResourceProps): string[] {
  if (type === PEER_AUTHENTICATION) {
    const problems: string[] = [];
    const mode = props.spec?.mtls?.mode;
    if (mode !== 'STRICT')
      problems.push(
        `PeerAuthentication ${props.metadata?.namespace ?? ''}/${props.metadata?.name ?? ''} has mtls.mode ${mode ?? '(unset)'}; it must be STRICT`,
      );
    for (const [port, setting] of Object.entries<{ mode?: string }>(props.spec?.portLevelMtls ?? {})) {
      if (setting?.mode && setting.mode !== 'STRICT')
        problems.push(`PeerAuthentication port ${port} has mode ${setting.mode}; it must be STRICT`);
    }
    return problems;
  }
  if (type === HELM_RELEASE && props.chart === 'linkerd-control-plane') {
    const policy = props.values?.proxy?.defaultInboundPolicy;
    return policy === 'all-authenticated'
      ? []
      : [`linkerd-control-plane needs values.proxy.defaultInboundPolicy: all-authenticated (is ${policy ?? 'unset: all-unauthenticated'})`];
  }
  return [];
}

export const meshMtlsStrict: ResourceValidationPolicy = {
  name: 'mesh-mtls-strict',
  description: 'Mesh authentication policies require mutual TLS (Istio STRICT, Linkerd all-authenticated).',
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    for (const problem of mtlsProblems(args.type, args.props)) reportViolation(problem);
  },
};

/** With istiod installed, a mesh-wide STRICT PeerAuthentication must exist in the root namespace. */
export function missingMeshWideStrict(resources: Pick<PolicyResource, 'type' | 'props'>[]): string | undefined {
  const istio = resources.some((r) => r.type === HELM_RELEASE && r.props.chart === 'istiod');
  if (!istio) return undefined;
  const meshWide = resources.some(
    (r) =>
      r.type === PEER_AUTHENTICATION &&
      r.props.metadata?.namespace === ISTIO_ROOT_NAMESPACE &&
      !r.props.spec?.selector &&
      r.props.spec?.mtls?.mode === 'STRICT',
  );
  return meshWide
    ? undefined
    : `Istio is installed but no mesh-wide PeerAuthentication (namespace ${ISTIO_ROOT_NAMESPACE}, no selector) sets mtls.mode STRICT`;
}

export const meshWideStrictMtls: StackValidationPolicy = {
  name: 'mesh-wide-strict-mtls',
  description: 'A stack that installs Istio also makes STRICT mTLS the mesh-wide default.',
  enforcementLevel: 'mandatory',
  validateStack: (args, reportViolation) => {
    const problem = missingMeshWideStrict(args.resources);
    if (problem) reportViolation(problem);
  },
};
