import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './problems.js';
import { parseRecordedAnswers } from './provenance.js';

const recorded = (source: Record<string, unknown>, template = 'ledger-api') => ({
  template,
  templateVersion: '1.2.0',
  source: {
    repository: 'https://git.example.org/platform/templates.git',
    path: 'templates/ledger-api',
    commit: 'c'.repeat(40),
    reproducible: true,
    ...source,
  },
  answers: { name: 'ledger' },
});

/** The problems parseRecordedAnswers reports, as `field: message` lines. */
function problemsOf(input: unknown): string[] {
  try {
    parseRecordedAnswers(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).problems.map((p) => `${p.field}: ${p.message}`);
  }
  return [];
}

describe('parseRecordedAnswers: provenance is input like any other', () => {
  it('accepts what idp new records: URLs, scp-like, absolute paths, npm packages', () => {
    for (const repository of [
      'https://git.example.org/platform/templates.git',
      'ssh://git@git.example.org/platform/templates.git',
      'git@git.example.org:platform/templates.git',
      'file:///srv/git/templates',
      '/home/ana/src/templates',
      'npm:@idp/cli@0.3.1',
    ]) {
      expect(problemsOf(recorded({ repository })), repository).toEqual([]);
    }
    expect(problemsOf(recorded({ commit: '' }))).toEqual([]);
  });

  it.each([
    ['ext::sh -c touch% /tmp/owned', /source\.repository: .*git transport helper/],
    ['fd::17', /source\.repository: .*git transport helper/],
    ['--upload-pack=touch /tmp/owned', /source\.repository: .*starts with "-"/],
    ['templates-nearby', /source\.repository: must be a git URL .* but it is "templates-nearby"/],
    ['https://git.example.org/t.git\n--upload-pack=x', /source\.repository: must be one line/],
  ])('refuses the repository %j, naming source.repository', (repository, problem) => {
    expect(problemsOf(recorded({ repository })).join('\n')).toMatch(problem);
  });

  it.each([
    ['../../../../etc', /source\.path: must stay inside the template source/],
    ['templates/../../x', /source\.path: must stay inside the template source/],
    ['/etc/templates', /source\.path: must be relative to the repository/],
    ['templates\\ledger-api', /source\.path: must use \//],
    ['', /source\.path: must name the template folder/],
  ])('refuses the path %j, naming source.path', (templatePath, problem) => {
    expect(problemsOf(recorded({ path: templatePath })).join('\n')).toMatch(problem);
  });

  it('refuses a commit that is not a commit id, and a template name that is a path or a command', () => {
    expect(problemsOf(recorded({ commit: 'HEAD~3' })).join('\n')).toMatch(/source\.commit: must be a full git commit id/);
    expect(problemsOf(recorded({}, '../x;touch owned')).join('\n')).toMatch(/^template: must be a template name/);
  });
});
