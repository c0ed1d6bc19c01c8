/** The flags of `idp fleet status` and `idp fleet upgrade`, shared by the commands and their bodies. */
export interface FleetFlags {
  org?: string;
  githubUrl?: string;
  backstageUrl?: string;
  templates?: string;
  to?: string;
  contract?: string;
  concurrency?: string;
  dryRun?: boolean;
  json?: boolean;
}
