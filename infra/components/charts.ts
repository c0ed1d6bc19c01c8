// Every Helm chart the platform installs, pinned to an exact version in one place: upgrades are a
// reviewed one-line change, and the `helm-charts-pinned` policy rejects ranges anywhere else.

export interface PinnedChart {
  chart: string;
  version: string;
  repo: string;
}

export const CHARTS = {
  gpuOperator: { chart: 'gpu-operator', version: 'v25.3.2', repo: 'https://helm.ngc.nvidia.com/nvidia' },
  dcgmExporter: { chart: 'dcgm-exporter', version: '4.2.3', repo: 'https://nvidia.github.io/dcgm-exporter/helm-charts' },
  istioBase: { chart: 'base', version: '1.26.3', repo: 'https://istio-release.storage.googleapis.com/charts' },
  istiod: { chart: 'istiod', version: '1.26.3', repo: 'https://istio-release.storage.googleapis.com/charts' },
  istioCni: { chart: 'cni', version: '1.26.3', repo: 'https://istio-release.storage.googleapis.com/charts' },
  ztunnel: { chart: 'ztunnel', version: '1.26.3', repo: 'https://istio-release.storage.googleapis.com/charts' },
  linkerdCrds: { chart: 'linkerd-crds', version: '2025.8.1', repo: 'https://helm.linkerd.io/edge' },
  linkerdControlPlane: { chart: 'linkerd-control-plane', version: '2025.8.1', repo: 'https://helm.linkerd.io/edge' },
  kubePrometheusStack: { chart: 'kube-prometheus-stack', version: '75.18.1', repo: 'https://prometheus-community.github.io/helm-charts' },
  // Delivery on GPUs (docs/adr/0006, 0007, 0008): load-based autoscaling, canary releases, GPU nodes on demand (aws).
  keda: { chart: 'keda', version: '2.17.2', repo: 'https://kedacore.github.io/charts' },
  argoRollouts: { chart: 'argo-rollouts', version: '2.40.1', repo: 'https://argoproj.github.io/argo-helm' },
  // Published as an OCI artifact only; pinnedRelease pulls `<repo>/<chart>` at the version.
  karpenter: { chart: 'karpenter', version: '1.6.1', repo: 'oci://public.ecr.aws/karpenter' },
} as const satisfies Record<string, PinnedChart>;

/** Gateway API CRDs are published as a release manifest, not a chart; pinned the same way. */
export const GATEWAY_API_CRDS_URL = 'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.3.0/standard-install.yaml';

/** The in-cluster registry image for provider `existing`, pinned by tag. */
export const REGISTRY_IMAGE = 'registry:3.0.0';
