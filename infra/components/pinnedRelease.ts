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
      chart: args.chart.chart,
      version: args.chart.version,
      repositoryOpts: { repo: args.chart.repo },
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
