// 10,000 generated free-text values through the CLI's validation path (--set and --values parsing,
// then the spec with the platform contract): no crash, and every rejection names the field. Then
// 200 of the accepted values, spread over the run, are rendered into every skeleton file that embeds
// free text, which must parse with a real parser and hold the value unchanged. Rendering all of them
// would take minutes (20-40 ms per value); the rest of the skeleton embeds no free text. TOML and
// Python literals are checked in one /usr/bin/python3 run at the end.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  formPages,
  loadPlatformContract,
  loadSkeleton,
  loadTemplateDefinition,
  parseParameterFlags,
  parseYaml,
  renderSkeleton,
  type RenderedEntry,
} from '@idp/scaffold';
import { githubHosts, InvalidInputError, serviceValues, unprintableCharacter, type ServiceValues } from '@idp/service-spec';
import { TEMPLATES_DIR } from './runIdp.js';
import { propertyRuns } from '../../../test/propertyRuns.js';

// The one --set grammar: typed by model-service's own parameters.
const PAGES = formPages((await loadTemplateDefinition(path.join(TEMPLATES_DIR, 'model-service'))).parameters);

const RUNS = 10_000;
const FREE_TEXT_FIELDS = ['description', 'modelUri', 'repoUrl'] as const;
type Field = (typeof FREE_TEXT_FIELDS)[number];
const ENTERPRISE_HOSTS = ['ghe.corp.example'];
const platform = await loadPlatformContract();

// Pieces hostile text is made of: any code point, lone surrogate halves, C0/C1 controls,
// separators and bidi controls, and what YAML, TOML, JSON, Markdown and nunjucks treat specially.
// Printable pieces are weighted up so enough values pass to be rendered.
const piece = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      '"',
      "'",
      '\\',
      '\\u0000',
      '${{ values.name }}',
      '{% raw %}',
      '{#',
      '#}',
      '`',
      '---',
      ': ',
      '- ',
      '#',
      '&a',
      '*a',
      '!!',
      '%20',
      '%zz',
      '@',
      '?',
      '/',
      ' ',
      '\u00a0',
      '👩‍💻',
      'é',
    ),
    weight: 8,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 4 }), weight: 1 },
  { arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 0x9f }).map((code) => String.fromCharCode(code)), weight: 1 },
  { arbitrary: fc.constantFrom('\u2028', '\u2029', '\u202e', '\u200b', '\ufeff', '\ufffe'), weight: 1 },
);
const hostile = fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join(''));
const RENDERED = 200;
const valueFor: Record<Field, fc.Arbitrary<string>> = {
  description: hostile,
  modelUri: fc.oneof(
    fc
      .tuple(fc.constantFrom('s3://models/', 'gs://b/', 'hf://org/repo@', 'file:///models/', 'file://localhost/', ''), hostile)
      .map(([a, b]) => a + b),
    fc.constantFrom('s3://models/fraud/1', "s3://b/it's(1)"),
    hostile,
  ),
  repoUrl: fc.oneof(
    fc
      .tuple(
        fc.constantFrom('github.com', 'ghe.corp.example', 'gitlab.com', 'example.org', 'GitHub.com', 'github.com:8443'),
        fc.constantFrom('acme', '-x', 'a'.repeat(40)),
        fc.constantFrom('svc', 'a b', '..', 'x'.repeat(101)),
        hostile,
      )
      .map(([host, owner, repo, tail]) => `${host}?owner=${owner}&repo=${repo}${tail ? `&x=${tail}` : ''}`),
    hostile,
  ),
};
// One to three fields at once, each reaching the CLI as --set flags or as a JSON values file.
const hostileCase = fc.record({
  fields: fc.subarray([...FREE_TEXT_FIELDS], { minLength: 1 }),
  values: fc.record(valueFor),
  door: fc.constantFrom('--set', '--values'),
});

/** How `idp new` turns flags or a values file into answers. */
function answersFrom(door: string, given: Record<string, string>): Record<string, unknown> {
  if (door === '--set')
    return {
      name: 'free-text',
      ...parseParameterFlags(
        Object.entries(given).map(([k, v]) => `${k}=${v}`),
        PAGES,
      ),
    };
  return { name: 'free-text', ...(parseYaml(JSON.stringify(given)) as Record<string, unknown>) };
}

// The skeleton files that embed a free-text field.
const FREE_TEXT_FILES = [
  'catalog-info.yaml',
  'mkdocs.yml',
  'openapi.yaml',
  '.idp/answers.yaml',
  'monitoring/dashboard.json',
  'monitoring/alerts.yaml',
  'deploy/base/deployment.yaml',
  'README.md',
  'docs/index.md',
  'docs/configuration.md',
  'docs/api.md',
  'pyproject.toml',
  'src/${{ values.pythonPackage }}/config.py',
];

interface PythonCheck {
  toml: string;
  config: string;
  description: string;
  modelUri: string;
}

/** Parses each rendered file with a real parser and checks the value came through unchanged. */
function checkRendered(entries: RenderedEntry[], values: ServiceValues, python: PythonCheck[], wholeOpenApi: boolean) {
  const text = (file: string) => {
    const entry = entries.find((e) => e.path === file);
    if (entry?.kind !== 'file') throw new Error(`${file} was not rendered`);
    return entry.content.toString('utf-8');
  };
  const yaml = (file: string, source = text(file)) => {
    const docs = parseAllDocuments(source, { uniqueKeys: true });
    const all = Array.isArray(docs) ? docs : [docs];
    for (const doc of all)
      expect(
        doc.errors.map((e) => e.message),
        file,
      ).toEqual([]);
    return all.map((doc) => doc.toJS());
  };
  expect(yaml('catalog-info.yaml')[0].metadata.description).toBe(values.description);
  expect(yaml('mkdocs.yml')[0].site_description).toBe(values.description);
  // Its free text sits in `info`: parsing the 12 KB whole each time would dominate the run.
  const openApi = wholeOpenApi ? text('openapi.yaml') : text('openapi.yaml').split('\npaths:')[0]!;
  expect(yaml('openapi.yaml', openApi)[0].info.description).toBe(
    `Open Inference Protocol (V2) REST API of ${values.name}: ${values.description}`,
  );
  expect(yaml('.idp/answers.yaml')[0].answers).toMatchObject({
    description: values.description,
    modelUri: values.modelUri,
    repoUrl: values.repoUrl,
  });
  expect(JSON.parse(text('monitoring/dashboard.json')).description).toBe(values.description);
  yaml('monitoring/alerts.yaml');
  const env = yaml('deploy/base/deployment.yaml')[0].spec.template.spec.containers[0].env;
  expect(env.find((e: { name: string }) => e.name === 'MODEL_URI').value).toBe(values.modelUri);
  // Markdown has no syntax to break, but nothing unprintable may reach it, and the text is kept.
  expect(text('README.md').split('\n')).toContain(values.description);
  for (const file of ['README.md', 'docs/index.md', 'docs/configuration.md', 'docs/api.md']) {
    for (const line of text(file).split('\n')) expect(unprintableCharacter(line.replaceAll('\t', ' ')), file).toBeUndefined();
  }
  python.push({
    toml: text('pyproject.toml'),
    config: text(`src/${values.pythonPackage}/config.py`),
    description: values.description,
    modelUri: values.modelUri,
  });
}

/** tomllib and ast on every rendered pyproject.toml and config.py: the failures, as text. */
function pythonFailures(checks: PythonCheck[]): string[] {
  const script = [
    'import ast, json, sys, tomllib',
    'failures = []',
    'for check in json.load(sys.stdin):',
    '    try:',
    '        if tomllib.loads(check["toml"])["project"]["description"] != check["description"]: failures.append("pyproject.toml changed " + repr(check["description"]))',
    '        line = next(l for l in check["config"].splitlines() if l.startswith("DEFAULT_MODEL_URI = "))',
    '        if ast.literal_eval(line.split(" = ", 1)[1]) != check["modelUri"]: failures.append("config.py changed " + repr(check["modelUri"]))',
    '    except Exception as error:',
    "        failures.append(f\"{type(error).__name__}: {error} for {check['description']!r} / {check['modelUri']!r}\")",
    'print(json.dumps(failures))',
  ].join('\n');
  const result = spawnSync('/usr/bin/python3', ['-c', script], {
    input: JSON.stringify(checks),
    encoding: 'utf-8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (result.status !== 0) throw new Error(`/usr/bin/python3 could not check the files: ${result.stderr || result.error}`);
  return JSON.parse(result.stdout) as string[];
}

describe('free text through idp new', () => {
  it(`${RUNS} hostile values: no crash, every rejection names its field; ${RENDERED} accepted ones render into parseable files`, {
    timeout: 300_000,
  }, async () => {
    const scmHosts = Object.fromEntries(githubHosts(platform.github.host, ENTERPRISE_HOSTS).map((host) => [host, 'github']));
    // model-service's fetch:template step renders ./skeleton with no other render input.
    const full = await loadSkeleton(path.join(TEMPLATES_DIR, 'model-service/skeleton'), { scmHosts });
    const skeleton = { ...full, entries: full.entries.filter((e) => FREE_TEXT_FILES.includes(e.location)) };
    expect(skeleton.entries).toHaveLength(FREE_TEXT_FILES.length);

    const accepted: ServiceValues[] = [];
    let rejected = 0;
    fc.assert(
      fc.property(hostileCase, ({ fields, values, door }) => {
        const given = Object.fromEntries(fields.map((field) => [field, values[field]]));
        let resolved: ServiceValues;
        try {
          resolved = serviceValues(answersFrom(door, given), platform, { enterpriseHosts: ENTERPRISE_HOSTS });
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInputError);
          const named = (error as InvalidInputError).problems.map((p) => p.field);
          expect(named.length).toBeGreaterThan(0);
          // Only the fields that were given can be wrong, and each problem says how to fix it.
          for (const field of named) expect(fields).toContain(field);
          for (const problem of (error as InvalidInputError).problems) expect(problem.message).toMatch(/\(e\.g\. /);
          rejected += 1;
          return;
        }
        for (const field of fields) expect(resolved[field]).toBe(values[field]);
        accepted.push(resolved);
      }),
      propertyRuns(RUNS),
    );
    // Both outcomes are well represented, so the run proves both halves.
    expect(accepted.length).toBeGreaterThan(RUNS / 10);
    expect(rejected).toBeGreaterThan(RUNS / 10);

    const python: PythonCheck[] = [];
    const step = accepted.length / RENDERED;
    for (let i = 0; i < RENDERED; i += 1) {
      const values = accepted[Math.floor(i * step)]!;
      try {
        checkRendered(renderSkeleton(skeleton, values), values, python, i < 30);
      } catch (error) {
        throw new Error(
          `rendering ${JSON.stringify({ description: values.description, modelUri: values.modelUri, repoUrl: values.repoUrl })}: ${(error as Error).message}`,
        );
      }
    }
    expect(pythonFailures(python)).toEqual([]);
  });

  it('a single bad field is named alone', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FREE_TEXT_FIELDS), fc.constantFrom('\u001b', '\u0000', '\ud800', '\u2028'), (field, bad) => {
        const prefix = { description: 'x', modelUri: 's3://m/', repoUrl: 'github.com?owner=acme&repo=x&y=' }[field];
        expect(() => serviceValues({ name: 'free-text', [field]: prefix + bad }, platform)).toThrow(
          expect.objectContaining({ problems: [{ field, message: expect.stringContaining('must be printable text') }] }),
        );
      }),
      propertyRuns(100),
    );
  });
});
