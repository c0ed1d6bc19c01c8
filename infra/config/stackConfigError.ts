import type { z } from 'zod';

/** One bad stack setting: the key as `pulumi config` spells it, the rule it broke, a fix to copy. */
export interface ConfigProblem {
  key: string;
  rule: string;
  example: string;
}

/**
 * Thrown before any resource is registered, so a wrong stack file costs nothing. The message lists
 * every problem at once with a `pulumi config set` line that would fix it.
 */
export class StackConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(project: string, problems: ConfigProblem[]) {
    const lines = problems.map((p) => `  ${project}:${p.key}: ${p.rule}\n    e.g. ${p.example}`);
    super(`Stack configuration for ${project} is invalid; nothing was created:\n${lines.join('\n')}`);
    this.name = 'StackConfigError';
    this.problems = problems;
  }
}

/** Pulumi's `--path` key for a zod issue path: `gpuPools[0].sharing.replicas`. */
export function configKey(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (key, part) => (typeof part === 'number' ? `${key}[${part}]` : key ? `${key}.${String(part)}` : String(part)),
    '',
  );
}

/**
 * Turns zod issues into problems. `examples` maps a top-level key to a valid `pulumi config set`
 * line; nested keys fall back to their top-level example.
 */
export function configProblems(error: z.ZodError, examples: Record<string, string>): ConfigProblem[] {
  return error.issues.flatMap((issue): ConfigProblem[] => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    return keys.map((path) => {
      const key = configKey(path) || '(stack)';
      const top = String(path[0] ?? '');
      const nested = path.length > 1;
      const rule =
        issue.code !== 'unrecognized_keys'
          ? issue.message
          : nested
            ? `is not a known setting of ${configKey(path.slice(0, -1))}`
            : `is not a known setting; known: ${Object.keys(examples).join(', ')}`;
      return {
        key,
        rule,
        example:
          (Object.hasOwn(examples, top) ? examples[top] : undefined) ??
          'see the example Pulumi.<stack>.yaml files in infra/cluster and infra/in-cluster',
      };
    });
  });
}
