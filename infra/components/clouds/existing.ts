import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ClusterConfig, GpuPoolConfig } from '../../config/clusterConfig.js';
import { REGISTRY_IMAGE } from '../charts.js';
import { GPU_TAINT } from '../gpuScheduling.js';
import type { NodeAutoscalerFacts } from '../clusterFacts.js';
import type { Cloud, ClusterHandle, RegistryHandle } from './cloud.js';

type ExistingClusterConfig = Extract<ClusterConfig, { provider: 'existing' }>;

const SYSTEM_NAMESPACE = 'idp-system';

/**
 * Any conformant cluster reached through a kubeconfig: nodes exist already (the program labels and
 * taints the listed GPU nodes), images go to an in-cluster registry, and CI logs in with a
 * kubeconfig kept as a GitHub environment secret.
 */
export class ExistingCloud implements Cloud {
  readonly provider = 'existing' as const;
  // Unknown node images: the GPU Operator installs driver and toolkit unless told they are there.
  readonly nodeImageShipsDriver: boolean;
  readonly providerManagesDevicePlugin = false;
  private readonly opts: pulumi.CustomResourceOptions;
  private namespace: k8s.core.v1.Namespace | undefined;

  private readonly config: ExistingClusterConfig;

  constructor(config: ExistingClusterConfig, provider: k8s.Provider) {
    this.config = config;
    this.nodeImageShipsDriver = config.existing.driverPreinstalled;
    this.opts = { provider };
  }

  cluster(_parent: pulumi.Resource): ClusterHandle {
    return { name: pulumi.output(this.config.clusterName), kubeconfig: pulumi.secret(this.config.existing.kubeconfig), extra: {} };
  }

  /** The listed nodes are all there is: nobody can add one (docs/adr/0008). */
  nodeAutoscaler(): pulumi.Output<NodeAutoscalerFacts> {
    return pulumi.output({ kind: 'none' as const });
  }

  gpuNodePool(pool: GpuPoolConfig, labels: Record<string, string>, _cluster: ClusterHandle, parent: pulumi.Resource): void {
    // A pool here is a set of named nodes; server-side apply adds our labels and taint and leaves
    // everything else on the Node alone.
    for (const node of pool.nodes) {
      new k8s.core.v1.NodePatch(
        `${pool.gpuType}-${node}`,
        {
          metadata: { name: node, labels, annotations: { 'pulumi.com/patchForce': 'true' } },
          spec: { taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: GPU_TAINT.effect }] },
        },
        { ...this.opts, parent },
      );
    }
  }

  registry(_cluster: ClusterHandle, parent: pulumi.Resource): RegistryHandle {
    const { existing, registry } = this.config;
    const opts = { ...this.opts, parent };
    const ns = this.systemNamespace(parent);
    const labels = { 'app.kubernetes.io/name': 'registry', 'app.kubernetes.io/part-of': 'idp' };
    const namespace = ns.metadata.name;
    const claim = new k8s.core.v1.PersistentVolumeClaim(
      'registry',
      {
        metadata: { name: 'registry', namespace },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: existing.registryStorage } } },
      },
      opts,
    );
    new k8s.apps.v1.Deployment(
      'registry',
      {
        metadata: { name: 'registry', namespace, labels },
        spec: {
          replicas: 1,
          strategy: { type: 'Recreate' },
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'registry',
                  image: REGISTRY_IMAGE,
                  ports: [{ name: 'http', containerPort: 5000 }],
                  env: [{ name: 'REGISTRY_STORAGE_DELETE_ENABLED', value: 'true' }],
                  volumeMounts: [{ name: 'data', mountPath: '/var/lib/registry' }],
                  readinessProbe: { httpGet: { path: '/v2/', port: 'http' } },
                  resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                },
              ],
              volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim.metadata.name } }],
            },
          },
        },
      },
      opts,
    );
    new k8s.core.v1.Service(
      'registry',
      {
        metadata: { name: 'registry', namespace, labels },
        spec: { type: 'ClusterIP', selector: labels, ports: [{ name: 'http', port: 5000, targetPort: 'http' }] },
      },
      opts,
    );
    return {
      host: pulumi.output(existing.registryHost),
      repositoryPrefix: pulumi.output(registry.repositoryPrefix),
      pushTargets: pulumi.output([`${existing.registryHost}/${registry.repositoryPrefix}`]),
    };
  }

  ciIdentity(environment: 'staging' | 'production', _registry: RegistryHandle, _cluster: ClusterHandle, parent: pulumi.Resource) {
    const ns = this.systemNamespace(parent);
    const name = `github-actions-${environment}`;
    const account = new k8s.core.v1.ServiceAccount(name, { metadata: { name, namespace: ns.metadata.name } }, { ...this.opts, parent });
    // A long-lived token is what the kubeconfig secret carries: there is no OIDC issuer to trust here.
    new k8s.core.v1.Secret(
      `${name}-token`,
      {
        metadata: { name: `${name}-token`, namespace: ns.metadata.name, annotations: { 'kubernetes.io/service-account.name': name } },
        type: 'kubernetes.io/service-account-token',
      },
      { ...this.opts, parent, dependsOn: [account] },
    );
    return pulumi.output({
      identity: { kind: 'kubeconfig' as const, secretName: this.config.existing.ciSecretName },
      subject: { kind: 'User' as const, name: `system:serviceaccount:${SYSTEM_NAMESPACE}:${name}` },
    });
  }

  private systemNamespace(parent: pulumi.Resource): k8s.core.v1.Namespace {
    this.namespace ??= new k8s.core.v1.Namespace(SYSTEM_NAMESPACE, { metadata: { name: SYSTEM_NAMESPACE } }, { ...this.opts, parent });
    return this.namespace;
  }
}
