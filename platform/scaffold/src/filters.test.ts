import { describe, expect, it } from 'vitest';
import { createDefaultFilters, DEFAULT_SCM_HOSTS, parseRepoUrl, pick, renderTemplate } from './index.js';
import { makeFixture } from '../test/fixtureTemplate.js';

describe('pick filter', () => {
  it('is lodash.get, reachable from templates', async () => {
    const dir = await makeFixture({ 'a.txt': "${{ values.owner | parseEntityRef | pick('name') }} ${{ values.o | pick('a[0].b') }}" });
    const [entry] = await renderTemplate(dir, { owner: 'group:default/ml-team', o: { a: [{ b: 'deep' }] } });
    expect(entry?.kind === 'file' && entry.content.toString()).toBe('ml-team deep');
    expect(pick({ a: [{ b: 1 }] }, 'a.0.b')).toBe(1);
  });
});

describe('parseRepoUrl filter', () => {
  it('reads the RepoUrlPicker form for a GitHub host', () => {
    expect(parseRepoUrl('github.com?owner=acme&repo=fraud-detector', DEFAULT_SCM_HOSTS)).toEqual({
      host: 'github.com',
      owner: 'acme',
      repo: 'fraud-detector',
      organization: undefined,
      workspace: undefined,
      project: undefined,
    });
  });

  it('trims slashes from parameters and keeps ports in the host', () => {
    expect(parseRepoUrl('ghe.local:8443?owner=/acme/&repo=x/', { 'ghe.local:8443': 'github' })).toMatchObject({
      host: 'ghe.local:8443',
      owner: 'acme',
      repo: 'x',
    });
  });

  it.each([
    ['gitlab.example.com?repo=x', { 'gitlab.example.com': 'gitlab' }, /missing owner/],
    ['bitbucket.org?project=p&repo=r', DEFAULT_SCM_HOSTS, /missing workspace/],
    ['github.com?repo=x', DEFAULT_SCM_HOSTS, /missing owner/],
    ['unknown.example.com?owner=a&repo=b', DEFAULT_SCM_HOSTS, /No matching integration configuration for host unknown.example.com/],
  ])('refuses %s as Backstage does', (url, hosts, message) => {
    expect(() => parseRepoUrl(url, hosts)).toThrow(message);
  });

  it('accepts a gitlab project without owner', () => {
    expect(parseRepoUrl('gitlab.com?project=123&repo=x', DEFAULT_SCM_HOSTS)).toMatchObject({ project: '123' });
  });
});

describe('projectSlug filter', () => {
  it('is owner/repo', () => {
    expect(createDefaultFilters(DEFAULT_SCM_HOSTS).projectSlug!('github.com?owner=acme&repo=x')).toBe('acme/x');
  });
});
