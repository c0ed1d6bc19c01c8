// The generated service checks MODEL_NAME, MODEL_VERSION and MODEL_URI again at start-up (config.py),
// so an operator's override meets the rule the form and `idp new` apply. config.py is Python in the
// skeleton and cannot import the spec: this test holds its patterns to the spec's.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  MAX_MODEL_NAME_LENGTH,
  MODEL_FORMATS,
  MAX_MODEL_URI_LENGTH,
  MAX_MODEL_VERSION_LENGTH,
  MODEL_NAME_PATTERN,
  MODEL_URI_PATTERN,
  MODEL_VERSION_PATTERN,
} from '@idp/service-spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PYTHON, SKELETON_DIR } from './serviceHarness.js';
import { propertyRuns } from '../../../test/propertyRuns.js';

const config = readFileSync(path.join(SKELETON_DIR, 'src/${{ values.pythonPackage }}/config.py'), 'utf-8');

/** The source of `NAME = re.compile(r"…")` in config.py. */
function pythonPattern(name: string): string {
  const match = new RegExp(`^${name} = re\\.compile\\(r"(.*)"\\)$`, 'm').exec(config);
  if (!match) throw new Error(`config.py has no ${name} = re.compile(r"…")`);
  return match[1]!;
}

/** The length limit config.py reads a variable with: `_matching(PATTERN, 63)`. */
function pythonMaxLength(name: string): number {
  const match = new RegExp(`_matching\\(${name}, (\\d+)\\)`).exec(config);
  if (!match) throw new Error(`config.py does not read with _matching(${name}, N)`);
  return Number(match[1]);
}

/** Which of `samples` Python's re.match accepts with `pattern`: the service's own regex engine. */
function pythonMatches(pattern: string, samples: string[]): boolean[] {
  const script =
    'import json, re, sys\nd = json.load(sys.stdin)\np = re.compile(d["pattern"])\nprint(json.dumps([bool(p.match(s)) for s in d["samples"]]))';
  const result = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify({ pattern, samples }), encoding: 'utf-8' });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as boolean[];
}

describe("the generated service's config.py", () => {
  it('checks MODEL_NAME and MODEL_VERSION with the spec patterns and lengths', () => {
    expect(pythonPattern('MODEL_NAME_PATTERN')).toBe(MODEL_NAME_PATTERN);
    expect(pythonMaxLength('MODEL_NAME_PATTERN')).toBe(MAX_MODEL_NAME_LENGTH);
    expect(pythonPattern('MODEL_VERSION_PATTERN')).toBe(MODEL_VERSION_PATTERN);
    expect(pythonMaxLength('MODEL_VERSION_PATTERN')).toBe(MAX_MODEL_VERSION_LENGTH);
  });

  it('accepts every MODEL_URI the spec accepts, of the same schemes and length', () => {
    // config.py's URI check is the looser one (scheme and no spaces); what matters is that it never
    // refuses a URI the spec let into a service.
    const python = pythonPattern('MODEL_URI_PATTERN');
    expect(pythonMaxLength('MODEL_URI_PATTERN')).toBe(MAX_MODEL_URI_LENGTH);
    const schemes = /^\^\(([a-z0-9|]+)\):\/\//.exec(python)?.[1]?.split('|');
    expect(schemes).toEqual(['s3', 'gs', 'hf', 'file']);
    const spec = new RegExp(MODEL_URI_PATTERN);
    for (const scheme of schemes!) {
      expect(
        [`${scheme}://models/fraud/1`, `${scheme}:///models/fraud/1`].some((uri) => spec.test(uri)),
        scheme,
      ).toBe(true);
    }

    const examples = ['s3://models/fraud/1', 'gs://models/fraud/1', 'hf://acme/fraud@v2', 'file:///models/fraud/1', 'file://localhost/m'];
    const uris = [
      ...examples,
      ...fc.sample(
        fc.stringMatching(spec).filter((uri) => uri !== '' && uri.length <= MAX_MODEL_URI_LENGTH),
        propertyRuns(500),
      ),
    ];
    const accepted = pythonMatches(python, uris);
    expect(uris.filter((_, i) => !accepted[i])).toEqual([]);
  });

  it('knows the model formats the spec offers, and no other', () => {
    const runtimes = readFileSync(path.join(SKELETON_DIR, 'src/${{ values.pythonPackage }}/runtimes/__init__.py'), 'utf-8');
    const modules = /^RUNTIME_MODULES = \{\n((?: {4}"\w+": "\w+",\n)+)\}/m.exec(runtimes)?.[1];
    expect(modules, 'runtimes/__init__.py has RUNTIME_MODULES = {…}').toBeDefined();
    const keys = [...modules!.matchAll(/"(\w+)":/g)].map((m) => m[1]);
    expect(runtimes).toContain('MODEL_FORMATS = ("custom", *RUNTIME_MODULES)');
    expect(['custom', ...keys]).toEqual([...MODEL_FORMATS]);
  });
});
