/** The flags of `idp new`, shared by its registration and its body. */
export interface NewFlags {
  yes?: boolean;
  set: string[];
  values?: string;
  out?: string;
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
  contract?: string;
  templates?: string;
  githubUrl?: string;
  backstageUrl?: string;
  help?: boolean;
}
