import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

/**
 * The namespace of a cluster controller installed from a chart (KEDA, Argo Rollouts): Pod Security
 * "baseline" enforced, "restricted" only warned about, since the chart's defaults decide the rest.
 */
export function controllerNamespace(name: string, opts: pulumi.CustomResourceOptions): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(
    name,
    { metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' } } },
    opts,
  );
}
