import type { MeshKind } from '@idp/service-spec';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';
import { CHARTS, GATEWAY_API_CRDS_URL } from './charts.js';
import { pinnedRelease } from './pinnedRelease.js';

export interface ServiceMeshArgs {
  kind: MeshKind;
  /** GKE needs Istio's platform profile (CNI binary path, resource quota for node-critical pods). */
  provider: 'aws' | 'gcp' | 'existing';
}

const ISTIO_NAMESPACE = 'istio-system';
const LINKERD_NAMESPACE = 'linkerd';
// Linkerd certificates: the trust anchor outlives the issuer, which is rotated by re-running.
const TRUST_ANCHOR_HOURS = 10 * 365 * 24;
const ISSUER_HOURS = 365 * 24;

/** What enrols a namespace in the mesh: a label (Istio) or an annotation (Linkerd). */
export function meshEnrolment(kind: MeshKind): { labels: Record<string, string>; annotations: Record<string, string> } {
  switch (kind) {
    case 'istio-ambient':
      return { labels: { 'istio.io/dataplane-mode': 'ambient' }, annotations: {} };
    case 'istio-sidecar':
      return { labels: { 'istio-injection': 'enabled' }, annotations: {} };
    case 'linkerd':
      return { labels: {}, annotations: { 'linkerd.io/inject': 'enabled' } };
    case 'none':
      return { labels: {}, annotations: {} };
  }
}

/**
 * Mutual TLS between every pod: Istio (ambient: base → istiod → CNI → ztunnel; sidecar: base →
 * istiod) with a mesh-wide STRICT PeerAuthentication, or Linkerd (CRDs → control plane) with an
 * ECDSA P-256 trust anchor and issuer and an all-authenticated default inbound policy.
 */
export class ServiceMesh extends pulumi.ComponentResource {
  readonly kind: MeshKind;
  readonly namespaceLabels: Record<string, string>;
  readonly namespaceAnnotations: Record<string, string>;
  /**
   * The Pod Security level enrolled namespaces can enforce: sidecar injection (Istio sidecar, Linkerd
   * without CNI) adds an init container with NET_ADMIN, which `restricted` and `baseline` refuse.
   */
  readonly podSecurityLevel: 'restricted' | 'privileged';
  /** Depend on this before enrolling namespaces. */
  readonly ready: pulumi.Resource[] = [];

  constructor(name: string, args: ServiceMeshArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
    super('idp:platform:ServiceMesh', name, {}, opts);
    this.kind = args.kind;
    this.podSecurityLevel = args.kind === 'istio-sidecar' || args.kind === 'linkerd' ? 'privileged' : 'restricted';
    ({ labels: this.namespaceLabels, annotations: this.namespaceAnnotations } = meshEnrolment(args.kind));
    const childOpts = { parent: this, provider: opts.provider };
    if (args.kind === 'istio-ambient' || args.kind === 'istio-sidecar') this.istio(args, childOpts);
    if (args.kind === 'linkerd') this.linkerd(childOpts);
    this.registerOutputs({ kind: this.kind, namespaceLabels: this.namespaceLabels, namespaceAnnotations: this.namespaceAnnotations });
  }

  private istio(args: ServiceMeshArgs, opts: pulumi.CustomResourceOptions): void {
    const ambient = args.kind === 'istio-ambient';
    const global = args.provider === 'gcp' ? { platform: 'gke' } : {};
    const gatewayApi = new k8s.yaml.v2.ConfigFile('gateway-api-crds', { file: GATEWAY_API_CRDS_URL }, opts);
    const ns = new k8s.core.v1.Namespace(ISTIO_NAMESPACE, { metadata: { name: ISTIO_NAMESPACE } }, opts);
    const namespace = ns.metadata.name;
    const nodeCritical: pulumi.Resource[] = [];
    if (ambient && args.provider === 'gcp') {
      // GKE admits system-node-critical pods only in namespaces with a quota for that class.
      nodeCritical.push(
        new k8s.core.v1.ResourceQuota(
          'istio-node-critical',
          {
            metadata: { name: 'gcp-critical-pods', namespace },
            spec: {
              hard: { pods: '1000' },
              scopeSelector: { matchExpressions: [{ operator: 'In', scopeName: 'PriorityClass', values: ['system-node-critical'] }] },
            },
          },
          opts,
        ),
      );
    }
    const base = pinnedRelease(
      'istio-base',
      { chart: CHARTS.istioBase, name: 'istio-base', namespace, values: { global } },
      { ...opts, dependsOn: [gatewayApi] },
    );
    const istiod = pinnedRelease(
      'istiod',
      { chart: CHARTS.istiod, name: 'istiod', namespace, values: { global, ...(ambient ? { profile: 'ambient' } : {}) } },
      { ...opts, dependsOn: [base] },
    );
    this.ready.push(istiod);
    if (ambient) {
      const cni = pinnedRelease(
        'istio-cni',
        { chart: CHARTS.istioCni, name: 'istio-cni', namespace, values: { global, profile: 'ambient' } },
        { ...opts, dependsOn: [istiod, ...nodeCritical] },
      );
      this.ready.push(
        pinnedRelease(
          'ztunnel',
          { chart: CHARTS.ztunnel, name: 'ztunnel', namespace, values: { global } },
          { ...opts, dependsOn: [cni, ...nodeCritical] },
        ),
      );
    }
    // Mesh-wide (root namespace) STRICT: plaintext between workloads is refused everywhere.
    this.ready.push(
      new k8s.apiextensions.CustomResource(
        'mesh-mtls-strict',
        {
          apiVersion: 'security.istio.io/v1',
          kind: 'PeerAuthentication',
          metadata: { name: 'default', namespace },
          spec: { mtls: { mode: 'STRICT' } },
        },
        { ...opts, dependsOn: [istiod] },
      ),
    );
  }

  private linkerd(opts: pulumi.CustomResourceOptions): void {
    const ecdsa = { algorithm: 'ECDSA', ecdsaCurve: 'P256' } as const;
    const anchorKey = new tls.PrivateKey('linkerd-trust-anchor', ecdsa, { parent: this });
    const anchor = new tls.SelfSignedCert(
      'linkerd-trust-anchor',
      {
        privateKeyPem: anchorKey.privateKeyPem,
        subject: { commonName: 'root.linkerd.cluster.local' },
        isCaCertificate: true,
        validityPeriodHours: TRUST_ANCHOR_HOURS,
        allowedUses: ['cert_sign', 'crl_sign'],
      },
      { parent: this },
    );
    const issuerKey = new tls.PrivateKey('linkerd-issuer', ecdsa, { parent: this });
    const issuerRequest = new tls.CertRequest(
      'linkerd-issuer',
      { privateKeyPem: issuerKey.privateKeyPem, subject: { commonName: 'identity.linkerd.cluster.local' } },
      { parent: this },
    );
    const issuer = new tls.LocallySignedCert(
      'linkerd-issuer',
      {
        certRequestPem: issuerRequest.certRequestPem,
        caPrivateKeyPem: anchorKey.privateKeyPem,
        caCertPem: anchor.certPem,
        isCaCertificate: true,
        validityPeriodHours: ISSUER_HOURS,
        allowedUses: ['cert_sign', 'crl_sign'],
      },
      { parent: this },
    );
    const ns = new k8s.core.v1.Namespace(
      LINKERD_NAMESPACE,
      {
        metadata: {
          name: LINKERD_NAMESPACE,
          labels: { 'linkerd.io/is-control-plane': 'true', 'config.linkerd.io/admission-webhooks': 'disabled' },
        },
      },
      opts,
    );
    const crds = pinnedRelease('linkerd-crds', { chart: CHARTS.linkerdCrds, name: 'linkerd-crds', namespace: ns.metadata.name }, opts);
    this.ready.push(
      pinnedRelease(
        'linkerd-control-plane',
        {
          chart: CHARTS.linkerdControlPlane,
          name: 'linkerd-control-plane',
          namespace: ns.metadata.name,
          values: {
            identityTrustAnchorsPEM: anchor.certPem,
            // The issuer key is a secret output; only it is encrypted in state, the rest stays reviewable.
            identity: { issuer: { tls: { crtPEM: issuer.certPem, keyPEM: issuerKey.privateKeyPem } } },
            // Linkerd's STRICT: meshed pods accept only mTLS-authenticated traffic.
            proxy: { defaultInboundPolicy: 'all-authenticated' },
          },
        },
        { ...opts, dependsOn: [crds] },
      ),
    );
  }
}
