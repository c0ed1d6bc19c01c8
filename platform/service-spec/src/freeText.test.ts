import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MODEL_URI_PATTERN,
  PRINTABLE_TEXT_PATTERN,
  problemsFromZod,
  REPO_URL_PATTERN,
  ServiceSpec,
  unprintableCharacter,
} from './index.js';
import { propertyRuns } from '../../../test/propertyRuns.js';

const problems = (input: Record<string, unknown>) => {
  const result = ServiceSpec.safeParse({ name: 'fraud-detector', ...input });
  return result.success ? [] : problemsFromZod(result.error);
};

describe('free text', () => {
  it.each([
    ['description', 'Scores \u001b[31mred\u001b[0m', 'U+001B'],
    ['description', 'nul\u0000byte', 'U+0000'],
    ['description', 'lone \ud800 surrogate', 'U+D800 (half of a UTF-16 surrogate pair'],
    ['description', 'low \udc00 half', 'U+DC00'],
    ['description', 'right\u202eto-left override', 'U+202E'],
    ['description', 'line\u2028separator', 'U+2028'],
    ['description', 'bom\ufeff', 'U+FEFF'],
    ['description', 'tab\tseparated', 'U+0009'],
    ['modelUri', 's3://models/\u001b[2J', 'U+001B'],
    ['modelUri', 's3://models/\u0000', 'U+0000'],
    ['modelUri', 's3://models/\ud83d', 'U+D83D'],
    ['repoUrl', 'github.com?owner=acme&repo=x&\u001b=1', 'U+001B'],
  ])('rejects %s %j naming the field and the character', (field, value, character) => {
    const found = problems({ [field]: value });
    expect(found).toHaveLength(1);
    expect(found[0]!.field).toBe(field);
    expect(found[0]!.message).toContain(character);
    expect(found[0]!.message).toMatch(/must be printable text.*\(e\.g\. /);
  });

  it.each(['Scores card payments ✓', 'Détecte la fraude — 不正検知', 'Emoji 👩‍💻 and ZWJ'])('accepts the description %j', (description) => {
    expect(problems({ description })).toEqual([]);
  });

  it.each([
    '',
    's3://models/fraud/1',
    'gs://bucket/a%20b',
    'hf://org/repo@v1.2',
    'file:///models/1',
    'file://localhost/m',
    "s3://b/it's(1)",
  ])('accepts the model URI %j', (modelUri) => {
    expect(problems({ modelUri })).toEqual([]);
  });

  it.each([
    's3://',
    's3://models/a b',
    's3://models/`rm -rf`',
    's3://user:secret@bucket/x',
    's3://bucket:9000/x',
    's3://bucket/x?versionId=1',
    's3://bucket/x#frag',
    's3://bucket/%zz',
    'file://host/models',
    'file://',
    'http://x/y',
    's3://bücket/x',
  ])('rejects the model URI %j with the URI rule', (modelUri) => {
    const [problem] = problems({ modelUri });
    expect(problem).toMatchObject({ field: 'modelUri', message: expect.stringContaining('RFC 3986') });
  });

  it('describes the first unprintable character by code point and position', () => {
    expect(unprintableCharacter('ok')).toBeUndefined();
    expect(unprintableCharacter('👍a\u0007')).toBe('U+0007 (not a printable character) at character 3');
  });

  it('lets every grammar admit only printable text', () => {
    const printable = new RegExp(PRINTABLE_TEXT_PATTERN, 'u');
    for (const grammar of [MODEL_URI_PATTERN, REPO_URL_PATTERN]) {
      const re = new RegExp(grammar, 'u');
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('s3://b/', 'file:///', 'github.com?'), (tail, head) => {
          const text = head + tail;
          if (re.test(text)) expect(printable.test(text)).toBe(true);
        }),
        propertyRuns(500),
      );
    }
  });
});
