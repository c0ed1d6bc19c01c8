import { isRecord, type StepNotRun, type TemplateDefinition } from '@idp/scaffold';
import type { Reporter } from '../../shared/reporter.js';

/**
 * Lists the template's steps that reach other systems — publishing, registering, custom actions
 * idp has no action for — with the input the portal would give them, and what to run instead
 * where there is an equivalent.
 */
export function reportStepsNotRun(
  definition: TemplateDefinition,
  steps: readonly StepNotRun[],
  targetDir: string,
  reporter: Reporter,
): void {
  if (steps.length === 0) return;
  reporter.info('\nNot run here (these steps reach other systems; the portal runs them with this input):');
  for (const step of steps) {
    reporter.info(`  • ${step.id} (${step.action})${step.name !== step.action ? ` — ${step.name}` : ''}`);
    for (const input of step.inputs) reporter.info(indent(JSON.stringify(input, null, 2), 6));
    const instead = insteadOf(definition, step, targetDir);
    if (instead) reporter.info(`      instead: ${instead}`);
  }
}

function insteadOf(definition: TemplateDefinition, step: StepNotRun, targetDir: string): string | undefined {
  const input = isRecord(step.inputs[0]) ? step.inputs[0] : {};
  // A template written for this platform (it runs idp:* actions) is published by the platform's
  // rules, which idp publish applies; any other gets the repository its own step asks for (docs/adr/0014).
  if (step.action === 'publish:github' && definition.steps.some((s) => s.action.startsWith('idp:'))) return `idp publish ${targetDir}`;
  if (step.action === 'publish:github' && typeof input.repoUrl === 'string') {
    const url = new URL(`https://${input.repoUrl}`);
    const slug = `${url.searchParams.get('owner')}/${url.searchParams.get('repo')}`;
    const visibility = typeof input.repoVisibility === 'string' ? input.repoVisibility : 'private';
    const host = url.host === 'github.com' ? '' : `GH_HOST=${url.host} `;
    return `cd ${targetDir} && git init -b ${typeof input.defaultBranch === 'string' ? input.defaultBranch : 'main'} && git add -A && git commit -m "Initial commit" && ${host}gh repo create ${slug} --${visibility} --source . --push`;
  }
  if (step.action === 'catalog:register')
    return 'register the repository’s catalog-info.yaml in the portal (Create → Register existing component)';
  if (step.action === 'idp:catalog:register') return `idp publish ${targetDir} registers it once the repository exists`;
  return undefined;
}

function indent(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');
}
