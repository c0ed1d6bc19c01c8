import { InvalidInputError } from '@idp/service-spec';
import { parseYaml } from '../parseYaml.js';
import { gitText, runGit } from '../git/runGit.js';
import type { TemplateSource } from './openTemplateSource.js';
import { notPackaged } from './templatesAt.js';

const VERSION_ANNOTATION = 'idp.dev/template-version';

/**
 * `--to`/`--from`: a commit (sha, tag, branch) of the source, or a template version — the newest
 * commit whose template.yaml carries that `idp.dev/template-version`.
 */
export async function resolveTemplateCommit(source: TemplateSource, templatePath: string, to: string, flag = '--to'): Promise<string> {
  const toProblem = (message: string) => new InvalidInputError('The template commit', [{ field: flag, message }]);
  const { packaged } = source;
  if (packaged) {
    // The packaged copy answers for its own commit and its own template versions; older ones live in git.
    const folder = templatePath.split('/').pop() ?? templatePath;
    const names = packaged.commit !== '' && (packaged.commit.startsWith(to) || packaged.versions[folder] === to);
    if (names && to.length >= 4) return packaged.commit;
    throw notPackaged(packaged, `${flag} ${to}`);
  }
  if (!source.gitDir) throw toProblem(`needs a templates source with git history, but ${source.repository} has none`);
  const commit = await gitText(['rev-parse', '--verify', '--quiet', `${to}^{commit}`], { cwd: source.gitDir }).catch(() => '');
  if (commit) return commit;
  const file = `${templatePath}/template.yaml`;
  const history = (await gitText(['log', '--format=%H', 'HEAD', '--', file], { cwd: source.gitDir })).split('\n').filter(Boolean);
  const seen = new Set<string>();
  for (const candidate of history) {
    const version = await templateVersionAt(source.gitDir, candidate, file);
    if (version === to) return candidate;
    if (version) seen.add(version);
  }
  throw toProblem(
    `must be a commit of ${source.repository} or a version of ${templatePath}, but "${to}" is neither (versions: ${[...seen].join(', ') || 'none'}; e.g. ${flag} ${[...seen][0] ?? 'HEAD'})`,
  );
}

/**
 * How a service names the template release it was made from: the template's
 * idp.dev/template-version, else (a template that states none) the commit's first 12 digits.
 */
export function templateVersionLabel(version: string | undefined, commit: string): string {
  return version ?? (commit ? commit.slice(0, 12) : 'unversioned');
}

/** The template version recorded in template.yaml at a commit. */
export async function templateVersionAt(gitDir: string, commit: string, file: string): Promise<string | undefined> {
  const text = (await runGit(['show', `${commit}:${file}`], { cwd: gitDir, okCodes: [0, 128] })).stdout.toString('utf-8');
  const doc = text ? (parseYaml(text) as { metadata?: { annotations?: Record<string, unknown> } }) : undefined;
  const version = doc?.metadata?.annotations?.[VERSION_ANNOTATION];
  return version === undefined ? undefined : String(version);
}
