import * as aws from '@pulumi/aws';
import * as gcp from '@pulumi/gcp';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ClusterConfig } from '../../config/clusterConfig.js';
import { AwsCloud } from './aws.js';
import type { Cloud } from './cloud.js';
import { ExistingCloud } from './existing.js';
import { GcpCloud } from './gcp.js';

/**
 * The one place that branches on `provider`. Explicit cloud providers (not the ambient default
 * provider) so the region and project come from the validated stack config, nowhere else.
 */
export function selectCloud(config: ClusterConfig): Cloud {
  switch (config.provider) {
    case 'aws':
      return new AwsCloud(
        config,
        new aws.Provider('aws', {
          region: config.aws.region as aws.Region,
          defaultTags: { tags: { 'idp.dev/cluster': config.clusterName, 'managed-by': 'pulumi' } },
        }),
      );
    case 'gcp':
      return new GcpCloud(
        config,
        new gcp.Provider('gcp', {
          project: config.gcp.project,
          region: config.gcp.region,
          defaultLabels: { 'idp-dev-cluster': config.clusterName, 'managed-by': 'pulumi' },
        }),
      );
    case 'existing':
      return new ExistingCloud(
        config,
        new k8s.Provider('existing', { kubeconfig: pulumi.secret(config.existing.kubeconfig), enableServerSideApply: true }),
      );
  }
}
