// The generated service's own checks (`make test`, `make lint`) pass out of the box, on Debian's
// Python packages, for every kind of spec: CPU, GPU, odd but valid names, hostile free text, and each
// built-in model format (its tests train or export a tiny model). Formats ride on specs that are rendered
// anyway, so no service is rendered twice; ONNX Runtime is not in Debian, so the onnx tests must say
// they were skipped and why (they run in the service's CI).
import { afterAll, describe, expect, it } from 'vitest';
import { PYTHON, run, scaffoldService, type ScaffoldedService } from './serviceHarness.js';

const hasOnnxRuntime = () => run(PYTHON, ['-c', 'import onnxruntime'], '.').status === 0;

const SPECS = {
  cpu: { name: 'fraud-detector' },
  'GPU, pytorch': {
    name: 'vision-ranker',
    gpuType: 'nvidia-l4',
    gpuCount: 2,
    system: 'ranking',
    owner: 'user:default/jane.doe',
    modelFormat: 'pytorch',
    modelUri: 's3://models/vision/3',
  },
  'one letter, sklearn': { name: 'a', modelFormat: 'sklearn', modelUri: 'file:///models/a' },
  'digits and hyphens, xgboost': {
    name: 'x-1-y',
    modelName: 'my.model_v2',
    modelVersion: '2024-06-01',
    modelFormat: 'xgboost',
    modelUri: 'gs://models/x-1-y/2',
  },
  '46 characters, onnx': { name: `${'a'.repeat(20)}-${'b'.repeat(25)}`, modelFormat: 'onnx', modelUri: 'hf://acme/ranker' },
  'hostile description': {
    name: 'quoted-text',
    description: 'Says "hi" it\'s ünïcödé ✓ ${{ values.name }} {% if true %}x{% endif %} {{ raw }} {# c #} \\ end',
  },
} as const;

describe.each(Object.entries(SPECS))('the service generated for a %s spec', (_label, spec) => {
  let service: ScaffoldedService;
  afterAll(async () => service?.remove());

  it('passes make test and make lint with /usr/bin/python3', async () => {
    service = await scaffoldService(spec);
    expect(service.values.name).toHaveLength(spec.name.length);
    const test = run('make', ['test', `PYTHON=${PYTHON}`], service.dir);
    expect(test.output).toMatch(/\d+ passed/);
    expect(test.output).not.toMatch(/\d+ (failed|error)/);
    expect(test.status, test.output).toBe(0);
    if ('modelFormat' in spec && spec.modelFormat === 'onnx' && !hasOnnxRuntime()) {
      expect(test.output).toMatch(/SKIPPED .*test_served_format\.py.*ONNX Runtime is not installed here/);
    }
    const lint = run('make', ['lint', `PYTHON=${PYTHON}`], service.dir);
    expect(lint.output).toContain('tools/lint.py: 0 problem(s)');
    expect(lint.status, lint.output).toBe(0);
  });
});
