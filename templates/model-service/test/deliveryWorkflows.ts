// GitHub Actions checks for the rendered workflows: GitHub's own parser first, then our rules
// (SHA pins, least permissions, OIDC-only cloud access, no expressions spliced into scripts).
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parse } from 'yaml';

// Built objects are free-form YAML: the checks poke at them by path.
type Json = Record<string, any>;

/** Errors from @actions/workflow-parser (schema, expressions, job graph); empty when GitHub would accept the file. */
export async function githubParseErrors(name: string, content: string): Promise<string[]> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((e) => e.message);
  if (result.value) {
    const template = await convertWorkflowTemplate(result.context, result.value);
    errors.push(...(template.errors ?? []).map((e) => e.Message));
  }
  return errors;
}

/** Every GitHub expression in the text, as written (`${{ … }}`). */
export function expressionsIn(text: string): string[] {
  return [...new Set(text.match(/\$\{\{.*?\}\}/g) ?? [])].sort();
}

const PINNED_USES = /^\s*(?:-\s+)?uses:\s+([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)\s*$/;
const CLOUD_LOGIN = /^(aws-actions\/configure-aws-credentials|google-github-actions\/auth)$/;
const LONG_LIVED_INPUTS = ['aws-access-key-id', 'aws-secret-access-key', 'aws-session-token', 'credentials_json'];

export interface WorkflowRules {
  /** Secrets a job may read: the job's own token and the contract's kubeconfig secrets. */
  allowedSecrets: string[];
}

/** Our findings for one workflow file; a correct file has none. */
export function checkWorkflow(file: string, text: string, rules: WorkflowRules): string[] {
  const findings: string[] = [];
  const pins = new Map<string, string>();
  for (const [i, line] of text.split('\n').entries()) {
    if (!/^\s*(-\s+)?uses:/.test(line)) continue;
    const pin = PINNED_USES.exec(line);
    if (!pin) findings.push(`${file}:${i + 1}: action not pinned to a full commit SHA with its version in a comment: ${line.trim()}`);
    else {
      const seen = pins.get(pin[1]!);
      if (seen && seen !== `${pin[2]} ${pin[3]}`) findings.push(`${file}:${i + 1}: ${pin[1]} pinned to two different commits`);
      pins.set(pin[1]!, `${pin[2]} ${pin[3]}`);
    }
  }

  const workflow = parse(text) as Json;
  const top = workflow.permissions;
  if (!(top && typeof top === 'object' && Object.values(top).every((v) => v === 'read' || v === 'none'))) {
    findings.push(`${file}: top-level permissions must be {} or read-only, got ${JSON.stringify(top)}`);
  }
  for (const [id, job] of Object.entries<Json>(workflow.jobs ?? {})) {
    const where = `${file} job ${id}`;
    const steps: Json[] = job.steps ?? [];
    const permissions: Json | undefined = job.permissions;
    if (!permissions || typeof permissions !== 'object') {
      findings.push(`${where}: must declare its permissions`);
      continue;
    }
    const uses = (pattern: RegExp) => steps.some((s) => pattern.test(String(s.uses ?? '').split('@')[0]!));
    const signs = steps.some((s) => /\bcosign sign\b/.test(String(s.run ?? '')));
    const ghcr = steps.some((s) => s.with?.registry === 'ghcr.io');
    for (const [scope, level] of Object.entries(permissions)) {
      if (level !== 'write') continue;
      const justified = (scope === 'id-token' && (uses(CLOUD_LOGIN) || signs)) || (scope === 'packages' && ghcr);
      if (!justified) findings.push(`${where}: ${scope}: write is not needed`);
    }
    if (uses(CLOUD_LOGIN) && permissions['id-token'] !== 'write') findings.push(`${where}: cloud login needs id-token: write (OIDC)`);
    if (ghcr && !permissions.packages) findings.push(`${where}: ghcr.io login needs a packages permission`);
    for (const step of steps) {
      for (const input of LONG_LIVED_INPUTS) {
        if (step.with?.[input] !== undefined) findings.push(`${where}: step "${step.name ?? step.uses}" passes a long-lived credential (${input})`);
      }
      if (typeof step.run === 'string' && step.run.includes('${{')) {
        findings.push(`${where}: step "${step.name ?? step.run.split('\n')[0]}" splices an expression into its script; pass it through env`);
      }
    }
    for (const secret of JSON.stringify(job).match(/secrets\.[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
      if (!rules.allowedSecrets.includes(secret.slice('secrets.'.length))) findings.push(`${where}: reads ${secret}, which is not an allowed secret`);
    }
    if (job.environment !== undefined && /deploy/.test(id)) {
      const concurrency = job.concurrency as Json | undefined;
      if (!concurrency?.group || concurrency['cancel-in-progress'] !== false) findings.push(`${where}: a deploy needs a concurrency group that never cancels a running deploy`);
    }
  }
  return findings;
}
