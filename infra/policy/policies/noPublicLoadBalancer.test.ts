import { describe, expect, it } from 'vitest';
import { violations } from '../../test/policyArgs.js';
import { noPublicLoadBalancer as policy } from './noPublicLoadBalancer.js';

const SERVICE = 'kubernetes:core/v1:Service';
const lb = (annotations: Record<string, string> = {}) => ({
  metadata: { name: 'gateway', namespace: 'ingress', annotations },
  spec: { type: 'LoadBalancer' },
});

describe('no-public-load-balancer', () => {
  it('passes ClusterIP services, internal load balancers and allowed public ones', async () => {
    expect(await violations(policy, SERVICE, { metadata: { name: 'x' }, spec: { type: 'ClusterIP' } })).toEqual([]);
    expect(await violations(policy, SERVICE, lb({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' }))).toEqual([]);
    expect(await violations(policy, SERVICE, lb({ 'networking.gke.io/load-balancer-type': 'Internal' }))).toEqual([]);
    expect(await violations(policy, SERVICE, lb(), { allowed: ['ingress/gateway'] })).toEqual([]);
    expect(await violations(policy, 'aws:lb/loadBalancer:LoadBalancer', { name: 'api', internal: true })).toEqual([]);
  });

  it('fails a public load balancer that is not on the allow list, and does not trust an opt-in annotation', async () => {
    const [message] = await violations(policy, SERVICE, lb({ 'idp.dev/public': 'true' }), { allowed: ['ingress/other'] });
    expect(message).toMatch(/^Service ingress\/gateway would get a public load balancer.*"ingress\/gateway"/);
    expect(
      await violations(policy, SERVICE, lb({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' })),
    ).toHaveLength(1);
    expect(await violations(policy, 'aws:lb/loadBalancer:LoadBalancer', { name: 'api' })).toHaveLength(1);
  });
});
