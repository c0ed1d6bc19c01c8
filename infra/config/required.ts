/**
 * A zod error option for a stack setting: `is required (…)` when it is missing, `must be …` when it
 * has the wrong type, both with the example a StackConfigError shows.
 */
export const required = (what: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? `is required (${what})` : `must be ${what}`),
});
