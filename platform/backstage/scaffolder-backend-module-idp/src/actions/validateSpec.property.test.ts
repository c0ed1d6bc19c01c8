// 10,000 generated free-text values through idp:spec:validate, in-process as the portal runs it:
// no crash, every rejection an InputError naming only fields that were given, and every accepted
// spec exactly what `idp new` resolves (resolveService). So the portal renders the very files the
// CLI's property run renders and parses (platform/cli/test/freeText.property.test.ts).
import os from 'node:os';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { loadPlatformContract } from '@idp/scaffold';
import { resolveService } from '@idp/service-spec';
import fc from 'fast-check';
import { createValidateSpecAction } from './validateSpec';
// The suite's one seed serves every workspace's property tests, Jest's too (npm run fuzz varies it).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { propertyRuns } from '../../../../../test/propertyRuns.js';

const RUNS = 10_000;
const FIELDS = ['description', 'modelUri', 'repoUrl'] as const;
const GITHUB_HOSTS = ['github.com', 'ghe.corp.example'];

const piece = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }), weight: 8 },
  { arbitrary: fc.constantFrom('"', "'", '\\', '${{ values.name }}', '{% raw %}', '#}', '`', '---', ': ', '#', '%20', '%zz', '@', '?', '/', ' ', '👩‍💻'), weight: 8 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 4 }), weight: 1 },
  { arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map(code => String.fromCharCode(code)), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 0x9f }).map(code => String.fromCharCode(code)), weight: 1 },
  { arbitrary: fc.constantFrom('\u2028', '\u202e', '\u200b', '\ufeff', '\ufffe'), weight: 1 },
);
const hostile = fc.array(piece, { maxLength: 6 }).map(pieces => pieces.join(''));
const valueFor = {
  description: hostile,
  modelUri: fc.oneof(fc.tuple(fc.constantFrom('s3://models/', 'hf://org/repo@', 'file:///models/', ''), hostile).map(([a, b]) => a + b), fc.constant('s3://models/fraud/1')),
  repoUrl: fc
    .tuple(fc.constantFrom('github.com', 'ghe.corp.example', 'gitlab.com', 'example.org'), fc.constantFrom('acme', '-x'), hostile)
    .map(([host, owner, tail]) => `${host}?owner=${owner}&repo=svc${tail ? `&x=${tail}` : ''}`),
};
const hostileCase = fc.record({ fields: fc.subarray([...FIELDS], { minLength: 1 }), values: fc.record(valueFor) });

describe('idp:spec:validate on generated free text', () => {
  it(`${RUNS} values: no crash, rejections name their fields, accepted specs are the CLI's`, async () => {
    const action = createValidateSpecAction({ githubHosts: GITHUB_HOSTS });
    const platform = await loadPlatformContract();
    // One mock context, its input and output swapped per case: making one costs more than the action.
    const base = createMockActionContext({ input: { values: {} } as any, workspacePath: os.tmpdir() });
    const outcomes = { accepted: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(hostileCase, async ({ fields, values }) => {
        const input = { name: 'free-text', ...Object.fromEntries(fields.map(field => [field, values[field]])) };
        const outputs: Array<[string, unknown]> = [];
        const ctx: typeof base = { ...base, input: { values: input } as any, output: (name: string, value: unknown) => void outputs.push([name, value]) };
        let cli: unknown;
        try {
          cli = resolveService(input, platform, { enterpriseHosts: GITHUB_HOSTS });
        } catch (error) {
          cli = error;
        }
        const failed = await action.handler(ctx).then(
          () => undefined,
          error => error as Error,
        );
        const named = failed ? [...failed.message.matchAll(/^ {2}([^:\n]+): .*\(e\.g\. /gm)].map(m => m[1]) : [];
        // Rejected as the CLI rejects it (an InputError with the same problems), naming only given
        // fields; or accepted with the CLI's spec.
        expect(failed?.name ?? 'accepted').toBe(cli instanceof Error ? 'InputError' : 'accepted');
        expect(failed?.message).toBe(cli instanceof Error ? cli.message : undefined);
        expect(named.length > 0).toBe(failed !== undefined);
        expect(named.filter(field => !(fields as string[]).includes(field!))).toEqual([]);
        expect(outputs).toEqual(failed ? [] : [['spec', cli]]);
        outcomes[failed ? 'rejected' : 'accepted'] += 1;
      }),
      propertyRuns(RUNS),
    );
    expect(outcomes.accepted).toBeGreaterThan(RUNS / 10);
    expect(outcomes.rejected).toBeGreaterThan(RUNS / 10);
  }, 300_000);
});
