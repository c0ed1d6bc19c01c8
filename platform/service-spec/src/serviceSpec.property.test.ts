import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDefaultContract } from '../../../test/defaultContract.js';
import { InvalidInputError, resolveService } from './index.js';
import { propertyRuns } from '../../../test/propertyRuns.js';

const platform = loadDefaultContract();

const plausible = {
  name: fc.oneof(fc.stringMatching(/^[a-z][-a-z0-9]{0,50}$/), fc.string()),
  description: fc.oneof(fc.string(), fc.constant('${{ values.name }} {% raw %}')),
  owner: fc.oneof(fc.constantFrom('group:default/ml-team', 'user:jane', 'ml-team', 'component:x'), fc.string()),
  gpuType: fc.oneof(fc.constantFrom('none', 'nvidia-t4', 'nvidia-l4', 'nvidia-h100', 'tpu'), fc.anything()),
  gpuCount: fc.oneof(fc.integer({ min: -2, max: 10 }), fc.double(), fc.string()),
  cpu: fc.oneof(fc.constantFrom('1', '500m', '0', '1e3', '64', '65'), fc.string()),
  memory: fc.oneof(fc.constantFrom('2Gi', '100Mi', '1Ti', '2Ti'), fc.string()),
  minReplicas: fc.oneof(fc.integer({ min: -1, max: 120 }), fc.anything()),
  maxReplicas: fc.oneof(fc.integer({ min: -1, max: 120 }), fc.anything()),
  repoUrl: fc.oneof(fc.constantFrom('github.com?owner=acme&repo=x', 'github.com?owner=-x&repo=y', 'nope'), fc.string()),
};
const hostile = fc.record(plausible, { requiredKeys: [] });
const withJunk = fc.tuple(hostile, fc.dictionary(fc.string(), fc.anything(), { maxKeys: 2 })).map(([a, b]) => ({ ...b, ...a }));
const likelyValid = fc.record(
  {
    name: fc.stringMatching(/^svc-[a-z0-9]{1,20}$/),
    description: fc.string({ unit: 'grapheme', maxLength: 100 }),
    gpuType: fc.constantFrom('none', 'nvidia-t4', 'nvidia-l4', 'nvidia-a10g', 'nvidia-a100', 'nvidia-h100'),
    minReplicas: fc.integer({ min: 1, max: 5 }),
    cpu: fc.constantFrom('250m', '1', '4'),
  },
  { requiredKeys: ['name'] },
);
const anyInput = fc.oneof(likelyValid, hostile, withJunk, fc.anything());

describe('resolveService on generated input', () => {
  it('never crashes: it returns a valid service or explains every rejection with a field and a fix', () => {
    let accepted = 0;
    fc.assert(
      fc.property(anyInput, (input) => {
        try {
          const service = resolveService(input, platform);
          accepted += 1;
          expect(service.name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
          expect(service.gpuType === 'none').toBe(service.gpuCount === 0);
          expect(service.minReplicas).toBeLessThanOrEqual(service.maxReplicas);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInputError);
          const { problems } = error as InvalidInputError;
          expect(problems.length).toBeGreaterThan(0);
          for (const p of problems) {
            expect(p.field.length).toBeGreaterThan(0);
            // Every message says how to fix it: with an example, or by listing the known fields.
            expect(p.message, JSON.stringify(p)).toMatch(/e\.g\. |known fields: /);
          }
        }
      }),
      propertyRuns(5000),
    );
    expect(accepted).toBeGreaterThan(0);
  });
});
