import lodashGet from 'lodash/get.js';
import { parseEntityRef } from '@idp/service-spec';
import type { TemplateFilter, TemplateValue } from 'nunjitsu';

// The scaffolder's four default filters (plugin-scaffolder-backend createDefaultFilters), with the
// same semantics: parseRepoUrl and projectSlug from plugin-scaffolder-node's parseRepoUrl, pick
// as lodash.get, parseEntityRef as catalog-model's (re-stated in @idp/service-spec). Loading those backend
// packages would cost the CLI most of its start-up time, so they are re-stated and checked against
// the originals by tests (filters.test.ts beside this file, and @idp/service-spec's entityRef.test.ts).

/** SCM hosts and their integration type, as Backstage's ScmIntegrations defaults them. */
export const DEFAULT_SCM_HOSTS: Readonly<Record<string, string>> = {
  'github.com': 'github',
  'gitlab.com': 'gitlab',
  'bitbucket.org': 'bitbucketCloud',
  'dev.azure.com': 'azure',
};

const REQUIRED_PARAMS: Record<string, string[]> = {
  bitbucketCloud: ['workspace', 'project', 'repo'],
  bitbucketServer: ['project', 'repo'],
  azure: ['project', 'repo'],
  gitea: ['repo'],
  gerrit: ['repo'],
};

export interface RepoSpec {
  host: string;
  owner?: string;
  repo?: string;
  organization?: string;
  workspace?: string;
  project?: string;
}

export function parseRepoUrl(repoUrl: string, scmHosts: Readonly<Record<string, string>>): RepoSpec {
  let parsed: URL;
  try {
    parsed = new URL(`https://${repoUrl}`);
  } catch (error) {
    throw new Error(`Invalid repo URL passed to publisher, got ${repoUrl}, ${error}`);
  }
  const host = parsed.host;
  const type = scmHosts[host];
  if (!type) {
    throw new Error(`No matching integration configuration for host ${host}, please check your integrations config`);
  }
  const param = (name: string) => {
    const value = parsed.searchParams.get(name);
    return value === null ? undefined : trimSlashes(value);
  };
  const [owner, organization, workspace, project, repo] = ['owner', 'organization', 'workspace', 'project', 'repo'].map(param);
  const required = type === 'gitlab' ? (project ? [] : ['owner', 'repo']) : (REQUIRED_PARAMS[type] ?? ['repo', 'owner']);
  for (const name of required) {
    if (!parsed.searchParams.get(name)) {
      throw new Error(`Invalid repo URL passed to publisher: ${parsed.toString()}, missing ${name}`);
    }
  }
  return { host, owner, repo, organization, workspace, project };
}

function trimSlashes(value: string): string {
  return value.replace(/^\/+|\/+$/g, '');
}

/** lodash.get, as Backstage's pick filter is (imported by path so a bundle carries it, not all of lodash). */
export function pick(object: unknown, path: string): unknown {
  return lodashGet(object, path);
}

export function createDefaultFilters(scmHosts: Readonly<Record<string, string>>): Record<string, TemplateFilter> {
  return {
    parseRepoUrl: (url) => parseRepoUrl(url as string, scmHosts) as unknown as TemplateValue,
    parseEntityRef: (ref, context) =>
      parseEntityRef(ref as string, context as { defaultKind?: string; defaultNamespace?: string }) as unknown as TemplateValue,
    pick: (object, path) => pick(object, path as string) as TemplateValue,
    projectSlug: (url) => {
      const { owner, repo } = parseRepoUrl(url as string, scmHosts);
      return `${owner}/${repo}`;
    },
  };
}
