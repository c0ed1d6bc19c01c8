export * from './publish/publishService.js';
export * from './publish/readPublishPlan.js';
export * from './publish/ciJobNames.js';
export * from './publish/workflowVariables.js';
export * from './publish/resolveToken.js';
export * from './publish/appInstallation.js';
export * from './publish/redact.js';
export * from './publish/errors.js';
export { backstageCatalog, CATALOG_TIMEOUT_MS, type BackstageCatalog, type BackstageCatalogOptions } from './catalog/backstageCatalog.js';
export { CatalogError } from './catalog/catalogError.js';
export { createGithubClient, type GithubClient, type GithubClientOptions } from './publish/client.js';
export type { PublishContext, PublishStep, StepResult } from './publish/context.js';
export { fleetStatus, serviceStatus, type FleetStatus, type FleetStatusOptions } from './fleet/fleetStatus.js';
export { fleetUpgrade, type FleetUpgradeOptions, type FleetUpgradeResult } from './fleet/fleetUpgrade.js';
export { DEFAULT_FLEET_CONCURRENCY, fleetConcurrency } from './fleet/fleetConcurrency.js';
export {
  upgradeRepository,
  upgradeFleetRepository,
  REPOSITORY_STEPS,
  type RepositoryUpgradeResult,
  type RepositoryOutcome,
  type UpgradeRepositoryOptions,
} from './fleet/upgradeRepository.js';
export { listFleet, type FleetListing, type ListFleetOptions } from './fleet/listFleet.js';
export { pullRequestBody, PULL_REQUEST_MARKER } from './fleet/pullRequestBody.js';
export { upgradeBranch, type ServiceStatus, type FleetRepo, type FleetService } from './fleet/context.js';
export type { FleetSessionOptions } from './fleet/openFleetSession.js';
export { openScratchFolder, type ScratchFolder } from './fleet/scratchFolder.js';
