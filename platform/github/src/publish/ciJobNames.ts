import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

export const CI_WORKFLOW = '.github/workflows/ci.yml';

/**
 * The status checks CI reports, read from the service's own ci.yml so the protected branch and
 * the workflow never disagree: a job's `name`, or its id when it has none (GitHub's rule).
 */
export async function ciJobNames(serviceDir: string): Promise<string[]> {
  const file = join(serviceDir, CI_WORKFLOW);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(
      `${CI_WORKFLOW} is missing in ${serviceDir}: the required status checks are its job names (scaffold the service with \`idp new\`)`,
    );
  }
  const workflow = parse(text) as { jobs?: Record<string, { name?: unknown }> } | null;
  const jobs = workflow?.jobs;
  if (!jobs || typeof jobs !== 'object' || !Object.keys(jobs).length) {
    throw new Error(`${CI_WORKFLOW}: jobs must name at least one job (e.g. jobs: { test: { name: test, ... } })`);
  }
  return Object.entries(jobs).map(([id, job]) => {
    const name = typeof job?.name === 'string' ? job.name : id;
    if (name.includes('${{')) {
      throw new Error(
        `${CI_WORKFLOW}: jobs.${id}.name "${name}" uses an expression, so its status check name is only known at run time; give the job a fixed name (e.g. name: ${id})`,
      );
    }
    return name;
  });
}
