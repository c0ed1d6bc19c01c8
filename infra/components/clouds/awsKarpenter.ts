import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { ClusterHandle } from './cloud.js';

// What Karpenter needs from AWS (docs/adr/0008): an IAM role for its controller (EKS Pod Identity,
// no stored keys), the SQS queue EventBridge fills with spot interruptions and instance state
// changes so it drains a GPU node before AWS takes it, and the nodes' role it passes to instances.

export const KARPENTER_NAMESPACE = 'kube-system';
export const KARPENTER_SERVICE_ACCOUNT = 'karpenter';

const INTERRUPTION_EVENTS: Record<string, { source: string[]; 'detail-type': string[] }> = {
  'spot-interruption': { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
  rebalance: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
  'instance-state': { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
  'scheduled-change': { source: ['aws.health'], 'detail-type': ['AWS Health Event'] },
};

export interface KarpenterCloudArgs {
  clusterName: string;
  region: string;
  accountId: pulumi.Output<string>;
  cluster: ClusterHandle;
  opts: pulumi.CustomResourceOptions;
}

/** Registers the AWS side of Karpenter; returns what the platform layer's chart and NodeClass need. */
export function karpenterCloud({ clusterName, region, accountId, cluster, opts }: KarpenterCloudArgs) {
  const queue = new aws.sqs.Queue(
    `${clusterName}-karpenter`,
    { name: `${clusterName}-karpenter`, messageRetentionSeconds: 300, sqsManagedSseEnabled: true },
    opts,
  );
  new aws.sqs.QueuePolicy(
    `${clusterName}-karpenter`,
    {
      queueUrl: queue.url,
      policy: queue.arn.apply((arn) =>
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] },
              Action: 'sqs:SendMessage',
              Resource: arn,
            },
          ],
        }),
      ),
    },
    opts,
  );
  for (const [name, pattern] of Object.entries(INTERRUPTION_EVENTS)) {
    const rule = new aws.cloudwatch.EventRule(`${clusterName}-karpenter-${name}`, { eventPattern: JSON.stringify(pattern) }, opts);
    new aws.cloudwatch.EventTarget(`${clusterName}-karpenter-${name}`, { rule: rule.name, arn: queue.arn }, opts);
  }

  // Pod Identity: the agent add-on hands the controller's service account short-lived credentials.
  const agent = new aws.eks.Addon(
    `${clusterName}-pod-identity-agent`,
    { clusterName: cluster.name, addonName: 'eks-pod-identity-agent' },
    opts,
  );
  const role = new aws.iam.Role(
    `${clusterName}-karpenter`,
    {
      name: `${clusterName}-karpenter`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      }),
    },
    opts,
  );
  const nodeRoleArn = cluster.extra.nodeRoleArn as pulumi.Output<string>;
  new aws.iam.RolePolicy(
    `${clusterName}-karpenter`,
    {
      role: role.name,
      policy: pulumi
        .all([queue.arn, nodeRoleArn, accountId, cluster.extra.clusterArn as pulumi.Output<string>])
        .apply(([queueArn, nodeRole, account, clusterArn]) =>
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'Launch',
                Effect: 'Allow',
                Action: ['ec2:CreateFleet', 'ec2:RunInstances', 'ec2:CreateLaunchTemplate', 'ec2:CreateTags'],
                Resource: '*',
                Condition: { StringEquals: { 'aws:RequestedRegion': region } },
              },
              // Only instances and templates Karpenter tagged for this cluster may be changed or ended.
              {
                Sid: 'Terminate',
                Effect: 'Allow',
                Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
                Resource: '*',
                Condition: {
                  StringLike: {
                    [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: 'owned',
                    'aws:ResourceTag/karpenter.sh/nodepool': '*',
                  },
                },
              },
              { Sid: 'Describe', Effect: 'Allow', Action: ['ec2:Describe*', 'pricing:GetProducts', 'ssm:GetParameter'], Resource: '*' },
              {
                Sid: 'PassNodeRole',
                Effect: 'Allow',
                Action: 'iam:PassRole',
                Resource: nodeRole,
                Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
              },
              {
                Sid: 'InstanceProfiles',
                Effect: 'Allow',
                Action: [
                  'iam:CreateInstanceProfile',
                  'iam:TagInstanceProfile',
                  'iam:AddRoleToInstanceProfile',
                  'iam:RemoveRoleFromInstanceProfile',
                  'iam:DeleteInstanceProfile',
                  'iam:GetInstanceProfile',
                ],
                Resource: `arn:aws:iam::${account}:instance-profile/*`,
              },
              {
                Sid: 'Interruptions',
                Effect: 'Allow',
                Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueUrl'],
                Resource: queueArn,
              },
              { Sid: 'Cluster', Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: clusterArn },
            ],
          }),
        ),
    },
    opts,
  );
  new aws.eks.PodIdentityAssociation(
    `${clusterName}-karpenter`,
    { clusterName: cluster.name, namespace: KARPENTER_NAMESPACE, serviceAccount: KARPENTER_SERVICE_ACCOUNT, roleArn: role.arn },
    { ...opts, dependsOn: [agent] },
  );
  const nodeRoleName = nodeRoleArn.apply((arn) => arn.split('/').pop()!);
  return { queueName: queue.name, nodeRoleName };
}
