import fc from 'fast-check';
import { expect, it } from 'vitest';
import { loadDefaultContract } from '../../../../test/defaultContract.js';
import { MODEL_FIXTURES, modelConfig } from '../../../../test/modelFixtures.js';
import { propertyRuns } from '../../../../test/propertyRuns.js';
import { InvalidInputError, LLM_SERVICE_GPU_TYPES, LlmServiceSpec, resolveLlmService } from '../index.js';

const contract = loadDefaultContract();
const GIB = 1024 ** 3;
const FIELDS = new Set([...Object.keys(LlmServiceSpec.shape), 'modelIndex']);

const input = fc.record({
  fixture: fc.constantFrom(...MODEL_FIXTURES),
  maxModelLen: fc.integer({ min: 16, max: 32_768 }),
  maxNumSeqs: fc.integer({ min: 1, max: 64 }),
  kvCacheDtype: fc.constantFrom('auto', 'fp8'),
  gpuType: fc.constantFrom(...LLM_SERVICE_GPU_TYPES),
  gpuCount: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  maxReplicas: fc.integer({ min: 1, max: 4 }),
});

it('for any model, length, concurrency and GPUs: a refusal names spec fields, and a choice is what the pod gets', () => {
  const seen = { refused: 0, chosen: 0 };
  fc.assert(
    fc.property(input, ({ fixture, gpuCount, ...rest }) => {
      const spec = {
        name: 'chat',
        model: 'org/model',
        modelRevision: 'a'.repeat(40),
        ...rest,
        ...(gpuCount === undefined ? {} : { gpuCount }),
      };
      let values: ReturnType<typeof resolveLlmService>;
      try {
        values = resolveLlmService(spec, { contract, model: { config: JSON.stringify(modelConfig(fixture)) } });
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        for (const problem of (error as InvalidInputError).problems) {
          expect(FIELDS.has(problem.field.split('.')[0]!), problem.field).toBe(true);
          expect(problem.message).toMatch(/\(e\.g\. .+\)$/);
        }
        seen.refused += 1;
        return;
      }
      seen.chosen += 1;
      expect(values.gpuCount).toBe(values.tensorParallelSize);
      expect(values.gpuCount).toBe(values.sizing.choice.gpuCount);
      if (spec.gpuType !== 'auto') expect(values.gpuType).toBe(spec.gpuType);
      if (gpuCount !== undefined) expect(values.gpuCount).toBe(gpuCount);
      expect(values.sizing.neededBytes).toBeLessThanOrEqual(values.sizing.choice.availableBytes);
      expect(values.sizing.choice.largestMaxModelLen).toBeGreaterThanOrEqual(values.maxModelLen);
      expect(Number.parseInt(values.modelCacheSize, 10) * GIB).toBeGreaterThan(values.sizing.weightsBytes);
      expect(values.startupSeconds).toBeGreaterThanOrEqual(180 + Math.floor((values.sizing.weightsBytes / GIB) * 4));
      expect(Number.parseInt(values.sharedMemory, 10) * 2 ** 20).toBeLessThan(Number.parseInt(values.memory, 10) * GIB);
    }),
    propertyRuns(60),
  );
  // Both outcomes are exercised, or the property proves little.
  expect(seen.refused).toBeGreaterThan(5);
  expect(seen.chosen).toBeGreaterThan(5);
});
