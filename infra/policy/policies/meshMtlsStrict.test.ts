import { describe, expect, it } from 'vitest';
import { stackArgs, violations } from '../../test/policyArgs.js';
import { meshMtlsStrict, meshWideStrictMtls } from './meshMtlsStrict.js';

const PEER_AUTH = 'kubernetes:security.istio.io/v1:PeerAuthentication';
const RELEASE = 'kubernetes:helm.sh/v3:Release';
const strict = { metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } } };

describe('mesh-mtls-strict', () => {
  it('passes STRICT PeerAuthentications and an all-authenticated Linkerd', async () => {
    expect(await violations(meshMtlsStrict, PEER_AUTH, strict)).toEqual([]);
    expect(
      await violations(meshMtlsStrict, RELEASE, {
        chart: 'linkerd-control-plane',
        values: { proxy: { defaultInboundPolicy: 'all-authenticated' } },
      }),
    ).toEqual([]);
    expect(await violations(meshMtlsStrict, RELEASE, { chart: 'istiod', values: {} })).toEqual([]);
  });

  it('fails PERMISSIVE, unset and per-port exceptions, and Linkerd left at its default', async () => {
    expect(await violations(meshMtlsStrict, PEER_AUTH, { ...strict, spec: { mtls: { mode: 'PERMISSIVE' } } })).toEqual([
      'PeerAuthentication istio-system/default has mtls.mode PERMISSIVE; it must be STRICT',
    ]);
    expect(await violations(meshMtlsStrict, PEER_AUTH, { metadata: { name: 'x', namespace: 'ml' }, spec: {} })).toHaveLength(1);
    expect(
      await violations(meshMtlsStrict, PEER_AUTH, {
        ...strict,
        spec: { mtls: { mode: 'STRICT' }, portLevelMtls: { 8080: { mode: 'DISABLE' } } },
      }),
    ).toEqual(['PeerAuthentication port 8080 has mode DISABLE; it must be STRICT']);
    expect(await violations(meshMtlsStrict, RELEASE, { chart: 'linkerd-control-plane', values: {} })).toHaveLength(1);
  });
});

describe('mesh-wide-strict-mtls', () => {
  const run = async (resources: { type: string; props: Record<string, unknown> }[]) => {
    const found: string[] = [];
    await meshWideStrictMtls.validateStack(stackArgs(resources), (m) => found.push(m));
    return found;
  };

  it('passes a stack with istiod and a mesh-wide STRICT policy, and a stack without Istio', async () => {
    expect(
      await run([
        { type: RELEASE, props: { chart: 'istiod' } },
        { type: PEER_AUTH, props: strict },
      ]),
    ).toEqual([]);
    expect(await run([{ type: RELEASE, props: { chart: 'kube-prometheus-stack' } }])).toEqual([]);
  });

  it('fails istiod without one, or with only a workload-scoped policy', async () => {
    expect(await run([{ type: RELEASE, props: { chart: 'istiod' } }])).toHaveLength(1);
    const scoped = { ...strict, spec: { selector: { matchLabels: { app: 'x' } }, mtls: { mode: 'STRICT' } } };
    expect(
      await run([
        { type: RELEASE, props: { chart: 'istiod' } },
        { type: PEER_AUTH, props: scoped },
      ]),
    ).toHaveLength(1);
  });
});
