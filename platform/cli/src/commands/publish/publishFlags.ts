/** The flags of `idp publish`, shared by its registration and its body. */
export interface PublishFlags {
  githubUrl?: string;
  contract?: string;
  visibility: string;
  backstageUrl?: string;
  dryRun?: boolean;
  json?: boolean;
}
