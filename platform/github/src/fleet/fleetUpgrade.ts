import { fleetConcurrency } from './fleetConcurrency.js';
import { serviceStatus, type FleetStatus, type FleetStatusOptions } from './fleetStatus.js';
import { listFleet } from './listFleet.js';
import { mapConcurrent } from './mapConcurrent.js';
import { openFleetSession } from './openFleetSession.js';
import { upgradeFleetRepository, type RepositoryUpgradeOptions, type RepositoryUpgradeResult } from './upgradeRepository.js';

export interface FleetUpgradeOptions extends FleetStatusOptions, RepositoryUpgradeOptions {
  /** Called as each repository finishes, in the order they finish. */
  onRepository?: (result: RepositoryUpgradeResult) => void;
}

export interface FleetUpgradeResult extends FleetStatus {
  /** One per service that was behind, in the order of `services`. */
  results: RepositoryUpgradeResult[];
}

/**
 * `idp fleet upgrade`: every service behind its template is cloned, upgraded, pushed to its upgrade
 * branch and offered as one pull request. Each repository's steps look before they act, so a
 * re-run after a failure finishes what is missing and repeats nothing; one repository's failure is
 * reported with the others' results, never stops them.
 */
export async function fleetUpgrade(options: FleetUpgradeOptions): Promise<FleetUpgradeResult> {
  const session = openFleetSession(options);
  try {
    const limit = fleetConcurrency(options);
    const listing = await listFleet(session.github, options);
    const statuses = await mapConcurrent(listing.services, limit, (service) => serviceStatus(session, service));
    const behind = listing.services
      .map((service, i) => ({ service, status: statuses[i]! }))
      .filter(({ status }) => status.state === 'behind');
    const results = await mapConcurrent(behind, limit, async ({ service, status }) => {
      const result = await upgradeFleetRepository(session, service.repo, status, options);
      options.onRepository?.(result);
      return result;
    });
    return { services: statuses, skipped: listing.skipped, results };
  } finally {
    await session.close();
  }
}
