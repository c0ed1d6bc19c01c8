import { describe, expect, it } from 'vitest';
import { DEFAULT_SCM_HOSTS, formPages, formProblems, formValues } from '../index.js';

const PAGES = formPages([
  {
    title: 'One',
    description: 'First page',
    required: ['name'],
    properties: {
      name: { type: 'string', 'ui:field': 'EntityNamePicker', 'ui:autofocus': true },
      kind: { type: 'string', enum: ['web', 'worker'], enumNames: ['Web', 'Worker'], default: 'web' },
      app: { type: 'object', properties: { port: { type: 'integer', minimum: 1024, default: 8080 } } },
      hidden: { type: 'string', 'ui:backstage': { featureFlag: 'experimental' } },
    },
    dependencies: {
      kind: {
        oneOf: [
          { properties: { kind: { const: 'web' }, public: { type: 'boolean', default: false } } },
          { required: ['queue'], properties: { kind: { const: 'worker' }, queue: { type: 'string', default: 'jobs' } } },
        ],
      },
    },
  },
  {
    title: 'Two',
    properties: {
      withCi: { type: 'boolean', default: true },
      repoUrl: { type: 'string', 'ui:field': 'RepoUrlPicker', 'ui:options': { allowedHosts: ['github.com', 'bitbucket.org'] } },
      owner: { type: 'string', 'ui:field': 'OwnerPicker', 'ui:options': { catalogFilter: [{ kind: 'Group' }] } },
      endpoints: { type: 'array', items: { type: 'object', properties: { path: { type: 'string', pattern: '^/' } } } },
    },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, as a template writes it.
    allOf: [{ if: { properties: { withCi: { const: true } } }, then: { properties: { ci: { type: 'string', default: 'github' } } } }],
  },
  { title: 'Flagged', 'ui:backstage': { featureFlag: 'off' }, properties: { never: { type: 'string', default: 'x' } } },
]);

describe("the template's form pages", () => {
  it('takes the ui: keys out of the schema (enumNames too), drops the page title, and leaves out what a feature flag hides', () => {
    expect(PAGES.map((page) => page.title)).toEqual(['One', 'Two']);
    const [one] = PAGES;
    expect(one!.description).toBe('First page');
    expect(one!.schema.title).toBeUndefined();
    expect(Object.keys(one!.schema.properties as object)).toEqual(['name', 'kind', 'app']);
    expect(one!.uiSchema.name).toEqual({ 'ui:field': 'EntityNamePicker', 'ui:autofocus': true });
    expect(one!.uiSchema.kind).toEqual({ 'ui:enumNames': ['Web', 'Worker'] });
    expect(JSON.stringify(one!.schema)).not.toContain('ui:');
  });
});

describe("the form's values", () => {
  it("fills every page's defaults as the form does, the fields dependencies and if/then add included", async () => {
    expect(await formValues(PAGES, { name: 'svc' })).toEqual({
      name: 'svc',
      kind: 'web',
      app: { port: 8080 },
      public: false,
      withCi: true,
      ci: 'github',
      endpoints: [], // rjsf gives a list field an empty list
    });
    expect(await formValues(PAGES, { name: 'svc', kind: 'worker', withCi: false, app: { port: 2000 } })).toMatchObject({
      kind: 'worker',
      queue: 'jobs',
      app: { port: 2000 },
      withCi: false,
    });
  });

  it('keeps an answer outside an enum (rjsf would swap in the default) so that it is reported', async () => {
    const values = await formValues(PAGES, { name: 'svc', kind: 'cron' });
    expect(values.kind).toBe('cron');
    expect(await formProblems(PAGES, values, DEFAULT_SCM_HOSTS)).toEqual([
      expect.objectContaining({ field: 'kind', message: expect.stringMatching(/allowed values: "web", "worker"/) }),
    ]);
  });

  it('names each problem by its parameter path, nested fields and list items included', async () => {
    const values = await formValues(PAGES, {
      name: 'Not a name!',
      app: { port: 80 },
      endpoints: [{ path: '/ok' }, { path: 'no-slash' }],
      repoUrl: 'bitbucket.org?workspace=w&repo=r',
      owner: 'user:default/ada',
      typo: 1,
    });
    const problems = await formProblems(PAGES, values, DEFAULT_SCM_HOSTS);
    expect(Object.fromEntries(problems.map((p) => [p.field, p.message]))).toEqual({
      name: expect.stringMatching(/^must start and end with a letter or digit/),
      'app.port': expect.stringMatching(/^must be >= 1024/),
      'endpoints.1.path': expect.stringMatching(/^must match pattern "\^\/"/),
      repoUrl: 'is an incomplete repository location: project not provided (e.g. github.com?owner=acme&repo=my-service)',
      owner: 'must be a reference to a Group, but names a user (e.g. group:default/team-a)',
      typo: expect.stringMatching(/^is not a parameter of this template; its parameters: name, kind, app, public, queue, withCi/),
    });
  });

  it('checks the RepoUrlPicker against its allowed hosts and the integrations, and an OwnerPicker against its kinds', async () => {
    const problems = async (answers: Record<string, unknown>) =>
      (await formProblems(PAGES, await formValues(PAGES, { name: 'svc', ...answers }), { 'github.com': 'github' })).map((p) => p.message);
    expect(await problems({ repoUrl: 'gitlab.com?owner=o&repo=r' })).toEqual([
      expect.stringMatching(/allowed hosts github\.com, bitbucket\.org, not gitlab\.com/),
    ]);
    expect(await problems({ repoUrl: 'bitbucket.org?workspace=w&project=p&repo=r' })).toEqual([
      expect.stringMatching(/no SCM integration here/),
    ]);
    expect(await problems({ repoUrl: 'github.com?repo=r' })).toEqual([expect.stringMatching(/owner not provided/)]);
    expect(await problems({ repoUrl: 'github.com?owner=o&repo=r', owner: 'team-a' })).toEqual([]);
    expect(await problems({ owner: 'a:b:c' })).toEqual([expect.stringMatching(/a reference to a Group, but names a a/)]);
  });
});

describe('a template pattern that backtracks catastrophically', () => {
  const pages = formPages([
    {
      properties: {
        slug: { type: 'string', title: 'Slug', pattern: '^(x+x+)+y$' },
        owners: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' } },
      },
    },
  ]);

  it('does not hang: within seconds the parameter is named, with the pattern and a fix', { timeout: 20_000 }, async () => {
    const started = Date.now();
    const problems = await formProblems(pages, { slug: `${'x'.repeat(44)}!`, owners: ['Ana'] }, DEFAULT_SCM_HOSTS);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(problems).toEqual([
      { field: 'slug', message: expect.stringMatching(/^could not be checked: the template's pattern \^\(x\+x\+\)\+y\$ took over 1 s/) },
      // The other fields are still checked.
      { field: 'owners.0', message: expect.stringMatching(/^must match pattern/) },
    ]);
  });

  it('an honest pattern on the same page still checks values as before', async () => {
    const problems = await formProblems(pages, { slug: 'xxy', owners: ['Ana'] }, DEFAULT_SCM_HOSTS);
    expect(problems).toEqual([{ field: 'owners.0', message: expect.stringMatching(/^must match pattern "\^\[a-z\]\+\$"/) }]);
  });
});
