import { InvalidInputError } from '@idp/service-spec';
import { withoutUrlCredentials } from '@idp/scaffold';
import type { FleetService, FleetSession, ServiceStatus } from './context.js';
import { describeError } from './describeError.js';
import { fleetConcurrency } from './fleetConcurrency.js';
import { listFleet, type FleetListing, type ListFleetOptions } from './listFleet.js';
import { mapConcurrent } from './mapConcurrent.js';
import { openFleetSession, type FleetSessionOptions } from './openFleetSession.js';

export interface FleetStatusOptions extends FleetSessionOptions, ListFleetOptions {}

export interface FleetStatus {
  services: ServiceStatus[];
  skipped: FleetListing['skipped'];
}

/** `idp fleet status`: every service of the org (and/or catalog) with its template, version and how far behind. */
export async function fleetStatus(options: FleetStatusOptions): Promise<FleetStatus> {
  const session = openFleetSession(options);
  const listing = await listFleet(session.github, options);
  const services = await mapConcurrent(listing.services, fleetConcurrency(options), (service) => serviceStatus(session, service));
  return { services, skipped: listing.skipped };
}

/**
 * Where one service stands: its recorded template commit against the source's newest (or --to),
 * counted in template versions and in commits that touched the template's folder.
 */
export async function serviceStatus(session: FleetSession, { repo, record }: FleetService): Promise<ServiceStatus> {
  const status: ServiceStatus = {
    repository: repo.fullName,
    service: String(record.answers.name ?? repo.name),
    template: record.template,
    version: record.templateVersion,
    state: 'unknown',
  };
  const recorded = record.source;
  if (!recorded?.commit || !recorded.reproducible) {
    return {
      ...status,
      detail: `${recorded ? 'was rendered from uncommitted template changes' : 'records no template source (made before idp recorded provenance)'}: re-create it from a committed template to upgrade it`,
    };
  }
  status.commit = recorded.commit;
  status.templatePath = recorded.path;
  const location = session.sources.locate(recorded.repository);
  if (!location)
    return {
      ...status,
      detail: `its template source ${withoutUrlCredentials(recorded.repository)} is not reachable from here: pass --templates (a git URL or a local clone)`,
    };
  status.source = location;
  try {
    const target = await session.sources.target(location, recorded.path);
    const behind = await session.sources.behind(location, recorded.path, recorded.commit, target.commit, record.templateVersion);
    return { ...status, target, behind, state: behind.commits > 0 ? 'behind' : 'up-to-date' };
  } catch (error) {
    // What the person typed (a --to the source lacks, a --templates that cannot be read) is the
    // command's input: refused once (exit 2, the flag named) rather than once per service.
    if (
      error instanceof InvalidInputError &&
      error.problems.some((p) => p.field === '--to' || (session.sources.given && p.field === '--templates'))
    )
      throw error;
    return { ...status, state: 'failed', detail: `cannot compare with ${location}: ${describeError(error, [session.token])}` };
  }
}
