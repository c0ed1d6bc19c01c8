import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices, startTestBackend, type TestBackend } from '@backstage/backend-test-utils';
import { parse } from 'yaml';
import { catalogFeatures, scaffolderFeatures } from '../features';
import { CORPUS_CASES } from './__testUtils__/corpusCases';
import { postDryRun } from './__testUtils__/dryRunRequest';
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
  let orgDir: string;

  beforeAll(async () => {
    // A catalog with one group, for the entity pickers' check (--backstage-url).
    orgDir = await mkdtemp(path.join(os.tmpdir(), 'idp-parity-org-'));
    const org = path.join(orgDir, 'org.yaml');
    await writeFile(org, 'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: team-a }\nspec: { type: team, children: [] }\n');
    const catalog = { locations: [{ type: 'file', target: org, rules: [{ allow: ['Group'] }] }] };
    backend = await startTestBackend({
      features: [...catalogFeatures, ...scaffolderFeatures, mockServices.rootConfig.factory({ data: { catalog } })],
    });
    baseUrl = `http://localhost:${backend.server.port()}`;
  });

  afterAll(async () => {
    await backend?.stop();
    await rm(orgDir, { recursive: true, force: true });
  });

  const dryRun = (templateDir: string, values: Record<string, unknown>) => postDryRun(baseUrl, templateDir, values);

  it.each(CORPUS_CASES.map(c => [`${c.template}: ${c.title}`, c] as const))('generate the same files: %s', async (_title, corpusCase) => {
    const templateDir = path.join(CORPUS, corpusCase.template);
    const idp = await renderWithIdp(templateDir, corpusCase.answers);
    const { status, body } = await dryRun(templateDir, idp.parameters);
    if (status !== 200) throw new Error(`dry-run answered ${status}: ${JSON.stringify(body, null, 2)}`);
    const portal = filesFromDryRun(body.directoryContents);
    expect(portal.size).toBeGreaterThan(0);
    // Every file of the template is the portal's, byte for byte; beside them idp's runner records
    // the render (template, source, answers) for idp upgrade — the one file the portal has no use for.
    const record = idp.files.get('.idp/answers.yaml');
    expect(parse(record!.content.toString('utf-8'))).toMatchObject({ template: corpusCase.template, answers: idp.parameters });
    const templateFiles = new Map([...idp.files].filter(([file]) => file !== '.idp/answers.yaml'));
    expect(firstDifference(templateFiles, portal)).toBeUndefined();
  });

  it('checks OwnerPicker answers against the catalog with --backstage-url: exit 2 naming the owner it lacks', async () => {
    const templateDir = path.join(CORPUS, 'multi-page-service');
    const answers = { name: 'svc', repoUrl: 'github.com?owner=acme&repo=svc' };
    await waitFor(async () => (await fetch(`${baseUrl}/api/catalog/entities/by-name/group/default/team-a`)).ok);
    const known = await renderWithIdp(templateDir, { ...answers, owner: 'team-a' }, ['--backstage-url', baseUrl]);
    expect(known.parameters.owner).toBe('team-a');
    await expect(renderWithIdp(templateDir, { ...answers, owner: 'group:default/ghosts' }, ['--backstage-url', baseUrl])).rejects.toThrow(
      /idp new exited 2[\s\S]*"field": "owner",\s*"message": "names group:default\/ghosts, which is not in the catalog at http:\/\/localhost:\d+/,
    );
  }, 60_000);
});

async function waitFor(probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Gave up after ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
