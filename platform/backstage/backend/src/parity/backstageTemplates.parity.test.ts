import path from 'node:path';
import { startTestBackend, type TestBackend } from '@backstage/backend-test-utils';
import { catalogFeatures, scaffolderFeatures } from '../features';
import { CORPUS_CASES } from './__testUtils__/corpusCases';
import { dryRunRequest } from './__testUtils__/dryRunRequest';
import { firstDifference } from './__testUtils__/firstDifference';
import { filesFromDryRun } from './__testUtils__/generatedFiles';
import { renderWithIdp } from './__testUtils__/renderWithIdp';
import { repoRoot } from './__testUtils__/repoRoot';

// Issue 17's promise: any Backstage template, run by `idp new`, creates exactly what the portal
// creates. Each template of the corpus runs through the built CLI (a fresh process, --yes
// --values) and through the real scaffolder's dry-run in-process with the values idp ran with —
// what the portal's form would submit — and the two trees must match byte for byte, mode too.

const CORPUS = path.join(repoRoot(), 'test/fixtures/backstage-templates');

describe('any Backstage template: idp new and the portal', () => {
  let backend: TestBackend;
  let baseUrl: string;

  beforeAll(async () => {
    backend = await startTestBackend({ features: [...catalogFeatures, ...scaffolderFeatures] });
    baseUrl = `http://localhost:${backend.server.port()}`;
  });

  afterAll(async () => {
    await backend?.stop();
  });

  async function dryRun(templateDir: string, values: Record<string, unknown>) {
    const response = await fetch(`${baseUrl}/api/scaffolder/v2/dry-run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await dryRunRequest(templateDir, values)),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  it.each(CORPUS_CASES.map(c => [`${c.template}: ${c.title}`, c] as const))('generate the same files: %s', async (_title, corpusCase) => {
    const templateDir = path.join(CORPUS, corpusCase.template);
    const idp = await renderWithIdp(templateDir, corpusCase.answers);
    const { status, body } = await dryRun(templateDir, idp.parameters);
    if (status !== 200) throw new Error(`dry-run answered ${status}: ${JSON.stringify(body, null, 2)}`);
    const portal = filesFromDryRun(body.directoryContents);
    expect(portal.size).toBeGreaterThan(0);
    expect(firstDifference(idp.files, portal)).toBeUndefined();
  });
});
