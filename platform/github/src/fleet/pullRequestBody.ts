import type { UpgradePlan } from '@idp/scaffold';

export interface PullRequestText {
  title: string;
  body: string;
}

export interface PullRequestFacts {
  service: string;
  template: string;
  from: string;
  to: string;
  /** The templates source and the commit the upgrade read. */
  source: string;
  templatePath: string;
  commit: string;
  branch: string;
  plan: UpgradePlan;
  /** The template's CHANGELOG.md sections between the two versions, when it has one. */
  changelog?: string;
}

/** Marks the pull requests idp opens, so people (and tools) can tell them apart. */
export const PULL_REQUEST_MARKER = '<!-- idp:fleet-upgrade -->';

const code = (path: string) => `\`${path.replace(/`/g, "'")}\``;

function fileList(title: string, paths: readonly string[], note = ''): string[] {
  if (!paths.length) return [];
  return [`**${title}** (${paths.length})${note}`, '', ...paths.map((path) => `- ${code(path)}`), ''];
}

/**
 * What the upgrade pull request says: the template move, every file it touches, the conflicts and
 * what to do with them, and the template's changelog. Nothing in it depends on when it ran, so the
 * same upgrade gives the same text and a re-run leaves the pull request alone.
 */
export function pullRequestBody(facts: PullRequestFacts): PullRequestText {
  const { plan } = facts;
  const conflicts = plan.conflicts.length;
  const title = `Upgrade ${facts.template} ${facts.from} → ${facts.to}${conflicts ? ` (${conflicts} conflict${conflicts > 1 ? 's' : ''} to resolve)` : ''}`;
  const lines = [
    PULL_REQUEST_MARKER,
    `This moves **${facts.service}** from template **${facts.template} ${facts.from}** to **${facts.to}** (${code(facts.templatePath)} at ${code(facts.commit.slice(0, 12))} of ${code(facts.source)}).`,
    '',
    "It was made by `idp fleet upgrade` with the same three-way merge as `idp upgrade`: the template's changes since the service was made are brought in, and your own changes are kept.",
    '',
  ];
  if (conflicts) {
    lines.push(
      `### ⚠️ ${conflicts} conflict${conflicts > 1 ? 's' : ''} to resolve`,
      '',
      'You and the template changed the same lines of these files. They are committed **with conflict markers**, so this pull request is a draft and must not be merged as it is:',
      '',
      ...plan.conflicts.map(
        (c) =>
          `- ${code(c.path)}${c.binary ? " (binary, no markers: your version is committed; replace it with the template's if you want that one)" : ''}`,
      ),
      '',
      'To resolve them:',
      '',
      '```sh',
      `git fetch origin && git switch ${facts.branch}`,
      `# edit each file: keep what you need between <<<<<<< yours and >>>>>>> ${facts.template} ${facts.to}, drop the markers`,
      'git commit -am "Resolve the template upgrade conflicts" && git push',
      '```',
      '',
      'Then mark the pull request ready for review. Later fleet runs never overwrite commits you add to this branch.',
      '',
    );
  }
  lines.push(
    '### Files',
    '',
    ...fileList('Added', plan.added),
    ...fileList('Changed', plan.changed),
    ...fileList('Removed', plan.removed),
    ...fileList('Kept', plan.kept, ': the template removed them, you had changed them'),
    ...fileList('Still deleted', plan.stayedDeleted, ': you had deleted them, the template changed them'),
  );
  if (!plan.added.length && !plan.changed.length && !plan.removed.length && !plan.kept.length && !plan.stayedDeleted.length)
    lines.push('Only the conflicting files above change.', '');
  if (facts.changelog) lines.push(`### What changed in ${facts.template}`, '', facts.changelog.replace(/^## /gm, '#### '), '');
  lines.push(
    '---',
    `Re-running \`idp fleet upgrade\` updates this pull request (and the ${code(facts.branch)} branch) instead of opening another.`,
  );
  return { title, body: `${lines.join('\n')}\n` };
}
