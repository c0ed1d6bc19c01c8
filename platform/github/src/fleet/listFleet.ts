import { InvalidInputError, parseRecordedAnswers } from '@idp/service-spec';
import { parseYaml } from '@idp/scaffold';
import type { GithubClient } from '../publish/client.js';
import { httpStatus } from '../publish/context.js';
import type { FleetRepo, FleetService } from './context.js';
import { listCatalogServices } from './listCatalogServices.js';
import { describeError } from './describeError.js';
import { fleetConcurrency } from './fleetConcurrency.js';
import { mapConcurrent } from './mapConcurrent.js';

export const ANSWERS_FILE = '.idp/answers.yaml';

export interface ListFleetOptions {
  /** List every repository of this GitHub organisation. */
  org?: string;
  /** And/or the components the Backstage catalog knows as made from an idp template. */
  backstage?: { url: string; token?: string };
  /** And/or these repositories (one service's upgrade). */
  repositories?: FleetRepo[];
  /** Repositories worked on at once, in every phase of the run (see fleetConcurrency). */
  concurrency?: number;
}

export interface FleetListing {
  services: FleetService[];
  /** Repositories that are not idp services (no answers file), or whose answers could not be read. */
  skipped: Array<{ repository: string; reason: string }>;
}

interface RepoData {
  name: string;
  full_name: string;
  owner: { login: string };
  default_branch?: string;
  clone_url?: string;
  html_url: string;
  archived?: boolean;
}

function fleetRepo(data: RepoData): FleetRepo {
  return {
    owner: data.owner.login,
    name: data.name,
    fullName: data.full_name,
    defaultBranch: data.default_branch ?? 'main',
    cloneUrl: data.clone_url ?? `${data.html_url}.git`,
    htmlUrl: data.html_url,
  };
}

/**
 * The services of a fleet: the organisation's repositories (GET /orgs/{org}/repos, every page)
 * and/or the catalog's idp components, each kept when its default branch holds `.idp/answers.yaml`
 * (read through the contents API; no clone needed to know where a service stands).
 */
export async function listFleet(github: GithubClient, options: ListFleetOptions): Promise<FleetListing> {
  if (!options.org && !options.backstage && !options.repositories)
    throw new Error('listFleet needs an organisation (--org) or a Backstage catalog (--backstage-url) to list services from');
  const repos = new Map<string, FleetRepo>();
  for (const repo of options.repositories ?? []) repos.set(repo.fullName.toLowerCase(), repo);
  const skipped: FleetListing['skipped'] = [];
  if (options.org) {
    const listed = (await github
      .paginate(github.rest.repos.listForOrg, { org: options.org, type: 'all', sort: 'full_name', per_page: 100 })
      .catch((error: unknown) => {
        if (httpStatus(error) !== 404) throw error;
        throw new InvalidInputError('The organisation', [
          {
            field: '--org',
            message: `must be a GitHub organisation the token can see, but GitHub answered 404 for "${options.org}" (e.g. --org acme, or github.org in the platform contract)`,
          },
        ]);
      })) as RepoData[];
    for (const data of listed) {
      if (data.archived) skipped.push({ repository: data.full_name, reason: 'archived' });
      else repos.set(data.full_name.toLowerCase(), fleetRepo(data));
    }
  }
  if (options.backstage) {
    for (const slug of await listCatalogServices(options.backstage)) {
      if (repos.has(slug.toLowerCase())) continue;
      const [owner, repo] = slug.split('/') as [string, string];
      try {
        repos.set(slug.toLowerCase(), fleetRepo((await github.rest.repos.get({ owner, repo })).data as RepoData));
      } catch (error) {
        if (httpStatus(error) !== 404) throw error;
        skipped.push({ repository: slug, reason: 'in the catalog, but GitHub has no such repository' });
      }
    }
  }
  const ordered = [...repos.values()].sort((a, b) => a.fullName.localeCompare(b.fullName));
  const read = await mapConcurrent(
    ordered,
    fleetConcurrency(options),
    async (repo): Promise<FleetService | FleetListing['skipped'][number]> => {
      try {
        const answers = await readAnswers(github, repo);
        if (answers === undefined)
          return { repository: repo.fullName, reason: `no ${ANSWERS_FILE} on ${repo.defaultBranch}: not made by idp` };
        // The template name becomes a branch and a folder to read: the record's rules refuse a hostile one.
        return { repo, record: parseRecordedAnswers(parseYaml(answers), `${repo.fullName}:${ANSWERS_FILE}`) };
      } catch (error) {
        if (httpStatus(error) !== undefined) throw error;
        return { repository: repo.fullName, reason: `${ANSWERS_FILE} is not a record of idp answers: ${describeError(error)}` };
      }
    },
  );
  const services: FleetService[] = [];
  for (const entry of read) {
    if ('record' in entry) services.push(entry);
    else skipped.push(entry);
  }
  return { services, skipped };
}

/** The answers file's text on the default branch; undefined when absent (or the repository is empty). */
async function readAnswers(github: GithubClient, repo: FleetRepo): Promise<string | undefined> {
  try {
    const response = await github.rest.repos.getContent({
      owner: repo.owner,
      repo: repo.name,
      path: ANSWERS_FILE,
      ref: repo.defaultBranch,
      mediaType: { format: 'raw' },
    });
    return String(response.data);
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw error;
  }
}
