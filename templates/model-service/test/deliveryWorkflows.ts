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

/**
 * The release commits the workflows pin, read from each action repository's tags (git rev-list -n1
 * <tag>) when they were chosen. A pin outside this table is a typo or an unreviewed upgrade.
 */
export const KNOWN_PINS: Record<string, string> = {
  'actions/checkout': '3d3c42e5aac5ba805825da76410c181273ba90b1 v7.0.1',
  'actions/setup-python': '5fda3b95a4ea91299a34e894583c3862153e4b97 v7.0.0',
  'aws-actions/amazon-ecr-login': '03f1aad4c6c7ffd436567f42f9384779290529bd v2.1.7',
  'aws-actions/configure-aws-credentials': 'e6de054238d6b7531b4efff3b6587d9aade6a06c v6.2.3',
  'docker/build-push-action': '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a v7.3.0',
  'docker/login-action': '4907a6ddec9925e35a0a9e82d7399ccc52663121 v4.1.0',
  'docker/setup-buildx-action': '37fe631027851001ddb9b187196cc803df7f5f0e v4.3.0',
  'google-github-actions/auth': '7c6bc770dae815cd3e89ee6cdf493a5fab2cc093 v3.0.0',
  'google-github-actions/get-gke-credentials': '3da1e46a907576cefaa90c484278bb5b259dd395 v3.0.0',
  'sigstore/cosign-installer': '6f9f17788090df1f26f669e9d70d6ae9567deba6 v4.1.2',
};

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
      const pinned = `${pin[2]} ${pin[3]}`;
      const seen = pins.get(pin[1]!);
      if (seen && seen !== pinned) findings.push(`${file}:${i + 1}: ${pin[1]} pinned to two different commits`);
      if (KNOWN_PINS[pin[1]!] !== pinned) findings.push(`${file}:${i + 1}: ${pin[1]}@${pinned} is not a release commit in KNOWN_PINS`);
      pins.set(pin[1]!, pinned);
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
        if (step.with?.[input] !== undefined)
          findings.push(`${where}: step "${step.name ?? step.uses}" passes a long-lived credential (${input})`);
      }
      if (typeof step.run === 'string' && step.run.includes('${{')) {
        findings.push(
          `${where}: step "${step.name ?? step.run.split('\n')[0]}" splices an expression into its script; pass it through env`,
        );
      }
    }
    for (const secret of JSON.stringify(job).match(/secrets\.[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
      if (!rules.allowedSecrets.includes(secret.slice('secrets.'.length)))
        findings.push(`${where}: reads ${secret}, which is not an allowed secret`);
    }
    if (job.environment !== undefined && /deploy/.test(id)) {
      const concurrency = job.concurrency as Json | undefined;
      if (!concurrency?.group || concurrency['cancel-in-progress'] !== false)
        findings.push(`${where}: a deploy needs a concurrency group that never cancels a running deploy`);
    }
  }
  return findings;
}
