/** A generated file as both doors can describe it: its bytes and whether it is executable. */
export interface GeneratedFile {
  content: Buffer;
  executable: boolean;
}

/** Generated files by their posix path relative to the repository root. */
export type GeneratedFiles = Map<string, GeneratedFile>;

/** The files of a dry-run response (POST /api/scaffolder/v2/dry-run). */
export function filesFromDryRun(directoryContents: Array<{ path: string; executable?: boolean; base64Content: string }>): GeneratedFiles {
  return new Map(
    directoryContents.map(file => [file.path, { content: Buffer.from(file.base64Content, 'base64'), executable: Boolean(file.executable) }]),
  );
}
