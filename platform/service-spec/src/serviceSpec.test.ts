import { describe, expect, it } from 'vitest';
import { MAX_SERVICE_NAME_LENGTH, problemsFromZod, ServiceSpec } from './index.js';

const problems = (input: Record<string, unknown>) => {
  const result = ServiceSpec.safeParse({ name: 'fraud-detector', ...input });
  return result.success ? [] : problemsFromZod(result.error);
};
const fieldsOf = (input: Record<string, unknown>) => problems(input).map((p) => p.field);

describe('ServiceSpec', () => {
  it('fills every default', () => {
    expect(ServiceSpec.parse({ name: 'fraud-detector' })).toEqual({
      name: 'fraud-detector',
      description: 'A model microservice',
      owner: 'group:default/ml-team',
      system: '',
      runtime: 'python',
      modelName: 'example-classifier',
      modelVersion: '1',
      modelUri: '',
      modelFormat: 'custom',
      gpuType: 'none',
      gpuCount: 0,
      cpu: '1',
      memory: '2Gi',
      minReplicas: 1,
      maxReplicas: 3,
      maxModelLoadSeconds: 300,
      maxBatchSize: 32,
      maxBatchDelayMs: 0,
      maxQueueLength: 128,
    });
  });

  it.each(['a', 'x-1-y', 'fraud-detector', 'a'.repeat(MAX_SERVICE_NAME_LENGTH), 'a--b'])('accepts the name %s', (name) => {
    expect(problems({ name })).toEqual([]);
  });

  it.each([
    ['', 'DNS-1035'],
    ['Fraud', 'DNS-1035'],
    ['1fraud', 'DNS-1035'],
    ['fraud-', 'DNS-1035'],
    ['fraud_detector', 'DNS-1035'],
    ['fraud.detector', 'DNS-1035'],
    ['a'.repeat(MAX_SERVICE_NAME_LENGTH + 1), `at most ${MAX_SERVICE_NAME_LENGTH}`],
    ['class', 'Python keyword'],
    ['json', 'shadow the module'],
    ['fastapi', 'shadow the module'],
  ])('rejects the name %j, naming the rule', (name, rule) => {
    const [problem] = problems({ name });
    expect(problem?.field).toBe('name');
    expect(problem?.message).toContain(rule);
    expect(problem?.message).toMatch(/e\.g\. /);
  });

  it('caps the name so the longest object name still fits 63 characters', () => {
    expect(MAX_SERVICE_NAME_LENGTH + '-allow-monitoring'.length).toBe(63);
  });

  it.each([
    [{ description: '' }, 'description'],
    [{ description: 'two\nlines' }, 'description'],
    [{ description: 'x'.repeat(281) }, 'description'],
    [{ owner: 'component:default/x' }, 'owner'],
    [{ owner: 'group:Default/x' }, 'owner'],
    [{ system: 'bad name' }, 'system'],
    [{ runtime: 'java' }, 'runtime'],
    [{ modelName: 'Model' }, 'modelName'],
    [{ modelVersion: '-1' }, 'modelVersion'],
    [{ modelUri: 'http://x/y' }, 'modelUri'],
    [{ modelUri: 's3://' }, 'modelUri'],
    [{ gpuType: 'nvidia-k80' }, 'gpuType'],
    [{ gpuType: 'nvidia-l4', gpuCount: 9 }, 'gpuCount'],
    [{ gpuType: 'nvidia-l4', gpuCount: 1.5 }, 'gpuCount'],
    [{ cpu: 'lots' }, 'cpu'],
    [{ cpu: '50m' }, 'cpu'],
    [{ cpu: '65' }, 'cpu'],
    [{ memory: '100Mi' }, 'memory'],
    [{ memory: '2Ti' }, 'memory'],
    [{ memory: '2GB' }, 'memory'],
    [{ minReplicas: -1 }, 'minReplicas'],
    [{ maxReplicas: 101 }, 'maxReplicas'],
    [{ maxModelLoadSeconds: 5 }, 'maxModelLoadSeconds'],
    [{ maxModelLoadSeconds: 3601 }, 'maxModelLoadSeconds'],
    [{ maxBatchSize: 0 }, 'maxBatchSize'],
    [{ maxBatchSize: 2.5 }, 'maxBatchSize'],
    [{ maxBatchDelayMs: -1 }, 'maxBatchDelayMs'],
    [{ maxBatchDelayMs: 1001 }, 'maxBatchDelayMs'],
    [{ maxQueueLength: 0 }, 'maxQueueLength'],
    [{ maxBatchSize: 64, maxQueueLength: 32 }, 'maxQueueLength'],
    [{ repoUrl: 'github.com/acme/x' }, 'repoUrl'],
    [{ repoUrl: 'github.com?owner=acme' }, 'repoUrl'],
    [{ repoUrl: 'github.com?owner=-acme&repo=x' }, 'repoUrl'],
    [{ repoUrl: 'github.com?owner=acme&repo=a%20b' }, 'repoUrl'],
    [{ unknownField: 1 }, 'unknownField'],
  ])('rejects %j on its field with a valid example', (input, field) => {
    const found = problems(input);
    expect(found.map((p) => p.field)).toContain(field);
    for (const p of found) expect(p.message.length).toBeGreaterThan(10);
  });

  it('keeps the queue at least one batch long', () => {
    expect(fieldsOf({ maxBatchSize: 64, maxQueueLength: 63 })).toEqual(['maxQueueLength']);
    expect(problems({ maxBatchSize: 64, maxQueueLength: 32 })[0]?.message).toContain('at least maxBatchSize (64)');
    expect(fieldsOf({ maxBatchSize: 64, maxQueueLength: 64 })).toEqual([]);
    expect(fieldsOf({ maxBatchSize: 1, maxQueueLength: 1 })).toEqual([]);
  });

  it('ties gpuCount to gpuType both ways, and defaults it from the GPU type', () => {
    expect(fieldsOf({ gpuType: 'none', gpuCount: 1 })).toEqual(['gpuCount']);
    expect(fieldsOf({ gpuType: 'nvidia-a100', gpuCount: 0 })).toEqual(['gpuCount']);
    expect(ServiceSpec.parse({ name: 'x', gpuType: 'nvidia-a100' }).gpuCount).toBe(1);
    expect(ServiceSpec.parse({ name: 'x', gpuType: 'nvidia-h100', gpuCount: 8 }).gpuCount).toBe(8);
    expect(problems({ gpuType: 'none', gpuCount: 1 })[0]?.message).toContain('gpuType is none');
  });

  it('takes a built-in model format with an artifact to load, and no GPU for a CPU-only one', () => {
    expect(fieldsOf({ modelFormat: 'pytorch', modelUri: 's3://models/vision/3' })).toEqual([]);
    expect(fieldsOf({ modelFormat: 'xgboost', modelUri: 's3://m/1', gpuType: 'nvidia-l4' })).toEqual([]);
    expect(problems({ modelFormat: 'keras' })[0]?.message).toBe('must be one of custom, pytorch, onnx, xgboost, sklearn (e.g. pytorch)');
    expect(problems({ modelFormat: 'onnx' })).toEqual([
      {
        field: 'modelUri',
        message:
          "must name the model's artifact directory when modelFormat is onnx (the bundled example is a custom model) (e.g. s3://models/fraud/1)",
      },
    ]);
    expect(fieldsOf({ modelFormat: 'sklearn', modelUri: 's3://m/1', gpuType: 'nvidia-t4' })).toEqual(['gpuType']);
    expect(problems({ modelFormat: 'sklearn', modelUri: 's3://m/1', gpuType: 'nvidia-t4' })[0]?.message).toContain('CPU only');
  });

  it('requires minReplicas ≤ maxReplicas', () => {
    expect(fieldsOf({ minReplicas: 4, maxReplicas: 2 })).toEqual(['maxReplicas']);
    expect(fieldsOf({ minReplicas: 4, maxReplicas: 4 })).toEqual([]);
  });

  it('accepts every Kubernetes quantity form in range', () => {
    for (const cpu of ['100m', '0.5', '2', '64', '1e1']) expect(fieldsOf({ cpu })).toEqual([]);
    for (const memory of ['256Mi', '4Gi', '1Ti', '512M', '1e9']) expect(fieldsOf({ memory })).toEqual([]);
  });

  it('lists every problem at once, cross-field ones included, even next to type errors', () => {
    expect(fieldsOf({ name: 'Bad', maxReplicas: 'x', gpuCount: 2, cpu: '100' }).sort()).toEqual(['cpu', 'gpuCount', 'maxReplicas', 'name']);
  });
});
