import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { PinnedChart } from './charts.js';

export interface PinnedReleaseArgs {
  chart: PinnedChart;
  /** Helm release name; fixed, because other objects select on it (e.g. `release: kube-prometheus-stack`). */
  name: string;
  namespace: pulumi.Input<string>;
  values?: pulumi.Input<Record<string, unknown>>;
}

/** A Helm release of a chart from CHARTS, at its pinned version, rolled back if it fails. */
export function pinnedRelease(resourceName: string, args: PinnedReleaseArgs, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    resourceName,
    {
      name: args.name,
      // OCI registries have no index to point repositoryOpts at: the chart is addressed in full.
      ...(args.chart.repo.startsWith('oci://')
        ? { chart: `${args.chart.repo}/${args.chart.chart}` }
        : { chart: args.chart.chart, repositoryOpts: { repo: args.chart.repo } }),
      version: args.chart.version,
      namespace: args.namespace,
      values: args.values ?? {},
      atomic: true,
      cleanupOnFail: true,
      maxHistory: 10,
      timeout: 900,
    },
    opts,
  );
}
