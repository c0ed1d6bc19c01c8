// The generated service's own checks (`make test`, `make lint`) pass out of the box, on Debian's
// Python packages, for every kind of spec: CPU, GPU, odd but valid names, hostile free text.
import { afterAll, describe, expect, it } from 'vitest';
import { PYTHON, run, scaffoldService, type ScaffoldedService } from './serviceHarness.js';

const SPECS = {
  cpu: { name: 'fraud-detector' },
  gpu: { name: 'vision-ranker', gpuType: 'nvidia-l4', gpuCount: 2, system: 'ranking', owner: 'user:default/jane.doe' },
  'one letter': { name: 'a' },
  'digits and hyphens': { name: 'x-1-y', modelName: 'my.model_v2', modelVersion: '2024-06-01' },
  '46 characters': { name: `${'a'.repeat(20)}-${'b'.repeat(25)}` },
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
    const lint = run('make', ['lint', `PYTHON=${PYTHON}`], service.dir);
    expect(lint.output).toContain('tools/lint.py: 0 problem(s)');
    expect(lint.status, lint.output).toBe(0);
  });
});
