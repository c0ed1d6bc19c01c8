import { z } from 'zod';
import { InvalidInputError, problemsFromZod } from './problems.js';
import { recordOf, reservedKeyProblems } from './reservedKeys.js';

/**
 * Where a service's render came from: enough to render it again, byte for byte. Recorded in the
 * service's `.idp/answers.yaml` (with the answers) and `.idp/platform.json` (the contract), and read
 * back by `idp upgrade` to rebuild the merge base.
 */
export const TemplateProvenance = z.object({
  /** A git URL, the absolute path of a local git repository, or npm:<package>@<version> for templates packaged with the CLI. */
  repository: z.string(),
  /** The template folder inside that repository, e.g. templates/model-service. */
  path: z.string(),
  /** The commit the template was read at; empty when the source is not a git repository. */
  commit: z.string(),
  /** False when the template had uncommitted changes (or no git history): no later run can reproduce it. */
  reproducible: z.boolean(),
});
export type TemplateProvenance = z.infer<typeof TemplateProvenance>;

/** The parsed `.idp/answers.yaml` of a generated service. */
export const RecordedAnswers = z.object({
  template: z.string().min(1),
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
