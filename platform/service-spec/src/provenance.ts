import { z } from 'zod';
import { InvalidInputError, problemsFromZod } from './problems.js';
import { recordOf, reservedKeyProblems } from './reservedKeys.js';

/**
 * Where a template repository may be: a git URL over a network transport or file://, scp-like
 * user@host:path, the absolute path of a local repository, or npm:<package> for the templates
 * packaged with the CLI. Never a transport helper (`ext::sh -c …`, `fd::`) or anything git would
 * read as an option (`--upload-pack=…`): a service's answers file is input like any other.
 */
const REPOSITORY_FORMS = [
  /^(https?|ssh|git|file):\/\/[^\s]+$/i,
  /^[\w.-]+@[\w.-]+:[^\s:][^\s]*$/,
  /^\/[^\0]*$/,
  /^[A-Za-z]:[\\/][^\0]*$/,
  /^npm:[@\w./-]+$/,
];
const REPOSITORY_EXAMPLE = 'e.g. https://github.com/acme/idp-templates.git';

export function repositoryProblem(repository: string): string | undefined {
  const shown = JSON.stringify(repository.length > 80 ? `${repository.slice(0, 80)}…` : repository);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
  if (/[\u0000-\u001f\u007f]/.test(repository))
    return `must be one line of text, but ${shown} holds control characters (${REPOSITORY_EXAMPLE})`;
  if (repository.startsWith('-'))
    return `must be a git URL or a path, but ${shown} starts with "-" and would reach git as an option (${REPOSITORY_EXAMPLE})`;
  if (/^[\w+.-]+::/.test(repository))
    return `must be a git URL or a path, but ${shown} names a git transport helper, which runs commands (${REPOSITORY_EXAMPLE})`;
  if (!REPOSITORY_FORMS.some((form) => form.test(repository))) {
    return `must be a git URL (https://, ssh://, git://, file:// or user@host:path), the absolute path of a local repository, or npm:<package>, but it is ${shown} (${REPOSITORY_EXAMPLE})`;
  }
  return undefined;
}

/** A template folder inside its repository: relative, posix separators, never climbing out of it. */
export function templatePathProblem(templatePath: string): string | undefined {
  const shown = JSON.stringify(templatePath);
  const example = 'e.g. templates/model-service';
  if (templatePath === '') return `must name the template folder inside the repository (${example})`;
  if (/^[\\/]|^[A-Za-z]:/.test(templatePath)) return `must be relative to the repository, but ${shown} is absolute (${example})`;
  if (templatePath.includes('\\')) return `must use / between folders, but ${shown} has \\ (${example})`;
  if (templatePath.split('/').some((part) => part === '..' || part === '' || part.startsWith('-')))
    return `must stay inside the template source, but ${shown} climbs out of it, has an empty folder name or one starting with "-" (${example})`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
  if (/[\u0000-\u001f\u007f]/.test(templatePath)) return `must be one line of text, but ${shown} holds control characters (${example})`;
  return undefined;
}

const checked = (problem: (value: string) => string | undefined) =>
  z.string().superRefine((value, context) => {
    const message = problem(value);
    if (message) context.addIssue({ code: 'custom', message });
  });

/**
 * Where a service's render came from: enough to render it again, byte for byte. Recorded in the
 * service's `.idp/answers.yaml` (with the answers) and `.idp/platform.json` (the contract), and read
 * back by `idp upgrade` to rebuild the merge base.
 */
export const TemplateProvenance = z.object({
  /** A git URL, the absolute path of a local git repository, or npm:<package>@<version> for templates packaged with the CLI. */
  repository: checked(repositoryProblem),
  /** The template folder inside that repository, e.g. templates/model-service. */
  path: checked(templatePathProblem),
  /** The commit the template was read at; empty when the source is not a git repository. */
  commit: z
    .string()
    .regex(
      /^([0-9a-f]{40}|[0-9a-f]{64})?$/,
      'must be a full git commit id (40 or 64 hex digits) or empty (e.g. 3f9c2a…, as idp new records it)',
    ),
  /** False when the template had uncommitted changes (or no git history): no later run can reproduce it. */
  reproducible: z.boolean(),
});
export type TemplateProvenance = z.infer<typeof TemplateProvenance>;

/** The parsed `.idp/answers.yaml` of a generated service. */
export const RecordedAnswers = z.object({
  /** The template's folder name (a Backstage entity name): it becomes a path and a branch name (idp/upgrade-<name>). */
  template: z
    .string()
    .regex(
      /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/,
      'must be a template name: letters, digits, ".", "_" and "-", starting and ending with a letter or digit (e.g. model-service)',
    )
    .refine(
      (name) => !name.includes('..') && !name.endsWith('.lock'),
      'must be a template name git can branch on: no ".." and no ".lock" ending (e.g. model-service)',
    ),
  templateVersion: z.string().min(1),
  source: TemplateProvenance.optional(),
  answers: recordOf(z.string(), z.unknown(), 'modelName'),
});
export type RecordedAnswers = z.infer<typeof RecordedAnswers>;

export function parseRecordedAnswers(input: unknown, file = '.idp/answers.yaml'): RecordedAnswers {
  const reserved = reservedKeyProblems(input, { example: 'modelName' });
  if (reserved.length) throw new InvalidInputError(`${file} is not a record of idp answers`, reserved);
  const parsed = RecordedAnswers.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(`${file} is not a record of idp answers`, problemsFromZod(parsed.error));
  return parsed.data;
}
