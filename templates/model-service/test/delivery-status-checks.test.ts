// The required status checks that protect a new repository's default branch are the job names of
// its ci.yml: template.yaml's publish:github step must list exactly those, in one place each.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import { renderService, TEMPLATE_DIR, type RenderedService } from './deliveryRender.js';

let service: RenderedService | undefined;
afterAll(async () => service?.cleanup());

interface Step {
  action?: string;
  input?: { requiredStatusCheckContexts?: string[] };
}

test("template.yaml protects main with exactly the rendered ci.yml's job names", async () => {
  service = await renderService({ name: 'fraud-detector' });
  const ci = parse(await readFile(path.join(service.dir, '.github/workflows/ci.yml'), 'utf-8')) as {
    jobs: Record<string, { name?: string; strategy?: unknown }>;
  };
  // GitHub reports a job's check under its name (or id); a matrix would add suffixes, so none is used.
  const jobNames = Object.entries(ci.jobs).map(([id, job]) => {
    expect(job.strategy, `ci.yml job ${id} must not use a matrix: its check names would change`).toBeUndefined();
    return job.name ?? id;
  });
  const template = parse(await readFile(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf-8')) as { spec: { steps: Step[] } };
  const publish = template.spec.steps.filter((step) => step.action === 'publish:github');
  expect(publish).toHaveLength(1);
  expect([...(publish[0]!.input?.requiredStatusCheckContexts ?? [])].sort()).toEqual([...jobNames].sort());
  expect(jobNames.sort()).toEqual(['image', 'lint', 'manifests', 'test']);
});
