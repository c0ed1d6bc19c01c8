import type { FormPage } from './formPages.js';
import { InvalidInputError } from '@idp/service-spec';
import { describe, expect, it } from 'vitest';
import { parseParameterFlags } from './parseParameterFlags.js';

const PAGES = [
  {
    title: 'App',
    schema: {
      type: 'object',
      properties: {
        labels: { type: 'array', items: { type: 'string' } },
        app: { type: 'object', properties: { port: { type: 'integer' }, routes: { type: 'array' } } },
      },
    },
  },
] as unknown as FormPage[];

function problemsOf(flags: string[]) {
  try {
    parseParameterFlags(flags, PAGES);
  } catch (error) {
    if (error instanceof InvalidInputError) return error.problems;
    throw error;
  }
  throw new Error(`${flags.join(' ')} was accepted`);
}

describe('--set for a template parameter', () => {
  it('types values by the parameter schema, nested fields by a dotted path', () => {
    expect(parseParameterFlags(['labels=[web, api]', 'app.port=8080'], PAGES)).toEqual({ labels: ['web', 'api'], app: { port: 8080 } });
  });

  it.each([
    ['labels.0=web', 'labels'],
    ['labels.first=web', 'labels'],
    ['app.routes.1.path=/v1', 'app.routes'],
  ])('%s into a list says how a list is set, naming it', (flag, list) => {
    expect(problemsOf([flag])).toEqual([
      { field: flag.slice(0, flag.indexOf('=')), message: expect.stringContaining(`goes inside ${list}, which is a list`) },
    ]);
    expect(problemsOf([flag])[0]!.message).toContain(`--set '${list}=[web, api]'`);
  });
});
