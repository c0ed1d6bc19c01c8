/** The flags of `idp upgrade`, shared by the command and its body. */
export interface UpgradeFlags {
  to?: string;
  from?: string;
  set: string[];
  values?: string;
  contract?: string;
  templates?: string;
  dryRun?: boolean;
  allowDirty?: boolean;
  abort?: boolean;
  quit?: boolean;
  json?: boolean;
}
