import { existsSync } from 'node:fs';
import {
  gitText,
  isGitUrl,
  openTemplateSource,
  resolveTemplateCommit,
  runGit,
  templateVersionAt,
  templateVersionLabel,
  openTemplateReader,
  withoutUrlCredentials,
  type TemplateReader,
  type TemplateSource,
} from '@idp/scaffold';

export interface TemplateTarget {
  commit: string;
  version: string;
}

/** The template sources a fleet run reads, each opened (a URL cloned or fetched) once per run. */
export interface TemplateSources {
  /**
   * --templates when given, else the recorded repository when this machine can reach it: as it
   * may be shown and recorded (a URL without credentials). Every method here takes it.
   */
  locate(recorded: string | undefined): string | undefined;
  /** What to open for a located source: --templates as typed (its URL credential included), else the location itself. */
  reach(location: string): string;
  /** Whether --templates names one source for every service (then its problems are the user's input). */
  readonly given: boolean;
  open(location: string): Promise<TemplateSource>;
  /** The opened source's reader, shared by every service of the run (each commit unpacked once). */
  reader(location: string): Promise<TemplateReader>;
  /** Removes what the readers unpacked. */
  release(): Promise<void>;
  /** The commit and version an upgrade of `templatePath` moves to: --to, else the source's newest commit. */
  target(location: string, templatePath: string): Promise<TemplateTarget>;
  /** Versions (newest first) and commits touching `templatePath` after `from`, up to `to`. */
  behind(
    location: string,
    templatePath: string,
    from: string,
    to: string,
    fromVersion: string,
  ): Promise<{ versions: string[]; commits: number }>;
  /** The template's CHANGELOG.md sections for `versions`, when the source has one. */
  changelog(location: string, templatePath: string, commit: string, versions: readonly string[]): Promise<string | undefined>;
}

export function templateSources(options: { templates?: string; to?: string; env?: NodeJS.ProcessEnv } = {}): TemplateSources {
  const opened = new Map<string, Promise<TemplateSource>>();
  const targets = new Map<string, Promise<TemplateTarget>>();
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, make: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, make());
    return memo.get(key) as Promise<T>;
  };
  const shown = options.templates === undefined ? undefined : withoutUrlCredentials(options.templates);
  const reach = (location: string) => (location === shown ? options.templates! : location);
  const open = (location: string) => {
    if (!opened.has(location)) opened.set(location, openTemplateSource(reach(location), options.env));
    return opened.get(location)!;
  };
  const readers = new Map<string, Promise<TemplateReader>>();
  const gitDirOf = async (location: string) => {
    const source = await open(location);
    if (!source.gitDir)
      throw new Error(
        `the templates source ${location} has no git history: fleet upgrades need a committed template (e.g. --templates https://github.com/acme/idp-templates.git)`,
      );
    return source.gitDir;
  };
  return {
    locate: (recorded) => shown ?? (recorded && (isGitUrl(recorded) || existsSync(recorded)) ? withoutUrlCredentials(recorded) : undefined),
    reach,
    given: options.templates !== undefined,
    open,
    reader(location) {
      if (!readers.has(location)) readers.set(location, open(location).then(openTemplateReader));
      return readers.get(location)!;
    },
    async release() {
      const opened = await Promise.allSettled(readers.values());
      readers.clear();
      await Promise.all(opened.map((result) => (result.status === 'fulfilled' ? result.value.release() : undefined)));
    },
    target(location, templatePath) {
      const key = `${location}\0${templatePath}`;
      if (!targets.has(key)) {
        targets.set(
          key,
          (async () => {
            const source = await open(location);
            const gitDir = await gitDirOf(location);
            const commit = options.to
              ? await resolveTemplateCommit(source, templatePath, options.to)
              : await gitText(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd: gitDir });
            return {
              commit,
              version: templateVersionLabel(await templateVersionAt(gitDir, commit, `${templatePath}/template.yaml`), commit),
            };
          })(),
        );
      }
      return targets.get(key)!;
    },
    behind: (location, templatePath, from, to, fromVersion) =>
      once(`behind\0${location}\0${templatePath}\0${from}\0${to}`, async () => {
        const gitDir = await gitDirOf(location);
        const commits = Number(await gitText(['rev-list', '--count', `${from}..${to}`, '--', templatePath], { cwd: gitDir }));
        const releases = (await gitText(['rev-list', `${from}..${to}`, '--', `${templatePath}/template.yaml`], { cwd: gitDir }))
          .split('\n')
          .filter(Boolean);
        const versions: string[] = [];
        for (const commit of releases) {
          const version = await templateVersionAt(gitDir, commit, `${templatePath}/template.yaml`);
          if (version && version !== fromVersion && !versions.includes(version)) versions.push(version);
        }
        return { versions, commits };
      }),
    changelog: (location, templatePath, commit, versions) =>
      once(`changelog\0${location}\0${templatePath}\0${commit}\0${versions.join(',')}`, async () => {
        const gitDir = await gitDirOf(location);
        const text = (await runGit(['show', `${commit}:${templatePath}/CHANGELOG.md`], { cwd: gitDir, okCodes: [0, 128] })).stdout.toString(
          'utf-8',
        );
        if (!text) return undefined;
        // Sections start at "## <version>" (Keep a Changelog: "## [0.2.0] - date" too).
        const sections = text.split(/^(?=## )/m).filter((section) => {
          const heading = /^## \[?v?([^\]\s]+)/.exec(section)?.[1];
          return heading !== undefined && versions.includes(heading);
        });
        return sections.length ? sections.map((s) => s.trim()).join('\n\n') : undefined;
      }),
  };
}
