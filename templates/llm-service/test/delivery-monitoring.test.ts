// The llm-service's operations on the engine's own signals: the alerts pass `promtool check rules`
// and the skeleton's own promtool unit tests (monitoring/alerts.test.yaml, synthetic vLLM series)
// pass as `make alerts-test` runs them; the KEDA triggers and the canary analysis queries are
// PromQL promtool accepts; every query (dashboard included) names only vLLM's current metrics.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import type { KubeObject } from '../../model-service/test/deliveryKubeValidate.js';
import { build } from '../../model-service/test/deliveryKustomize.js';
import { selectedMetrics } from '../../model-service/test/deliveryPromql.js';
import { LLAMA_8B, type RenderedLlmService, renderLlmService } from './llmRender.js';

const run = promisify(execFile);

/** vLLM's current metric names (docs.vllm.ai, Production Metrics) the skeleton may use, and its HTTP server's. */
const VLLM_METRICS = [
  'vllm:num_requests_running',
  'vllm:num_requests_waiting',
  'vllm:kv_cache_usage_perc',
  'vllm:time_to_first_token_seconds_bucket',
  'vllm:inter_token_latency_seconds_bucket',
  'vllm:generation_tokens_total',
  'vllm:prompt_tokens_total',
  'vllm:num_preemptions_total',
  'http_requests_total',
  // Prometheus' own scrape health.
  'up',
];

type Json = Record<string, any>;
let service: RenderedLlmService;
let objects: KubeObject[];
beforeAll(async () => {
  service = await renderLlmService(LLAMA_8B);
  objects = await build(path.join(service.dir, 'deploy/overlays/production'));
});
afterAll(async () => service?.cleanup());

const find = (kind: string) => objects.find((o) => o.kind === kind) as Json;

/** Runs `promtool check rules` over recording rules of the queries: promtool parses each as PromQL. */
async function promtoolParses(queries: string[]): Promise<string> {
  const file = path.join(service.dir, 'queries.rules.yaml');
  await writeFile(file, stringify({ groups: [{ name: 'queries', rules: queries.map((expr, i) => ({ record: `query_${i}`, expr })) }] }));
  return run('promtool', ['check', 'rules', file]).then(
    (r) => r.stdout,
    (e: { stdout: string; stderr: string }) => `${e.stdout}${e.stderr}`,
  );
}

/** make alerts-test, as CI runs it: the rules of monitoring/alerts.yaml beside the unit tests. */
async function alertsTest(change: (rules: Json) => void = () => {}): Promise<string> {
  const monitoring = path.join(service.dir, 'monitoring');
  const rules = parse(await readFile(path.join(monitoring, 'alerts.yaml'), 'utf-8')).spec;
  change(rules);
  await writeFile(path.join(monitoring, '.rules.yaml'), stringify(rules));
  return run('promtool', ['test', 'rules', path.join(monitoring, 'alerts.test.yaml')]).then(
    (r) => `${r.stdout}${r.stderr}`,
    (e: { stdout: string; stderr: string }) => `FAILED ${e.stdout}${e.stderr}`,
  );
}

test('promtool check rules accepts the PrometheusRule as deployed', async () => {
  const file = path.join(service.dir, 'deployed.rules.yaml');
  await writeFile(file, stringify({ groups: find('PrometheusRule').spec.groups }));
  expect((await run('promtool', ['check', 'rules', file])).stdout).toMatch(/SUCCESS: 6 rules found/);
});

test("the skeleton's promtool unit tests pass: each alert fires on synthetic vLLM series, none on a healthy service", async () => {
  const output = await alertsTest();
  expect(output).toMatch(/SUCCESS/);
  expect(output).not.toMatch(/FAILED/);
});

// CI's own commands, with this machine's promtool instead of the release archive the Makefile
// downloads (no network here); yq is mikefarah's on GitHub's runners and Debian's jq wrapper here,
// whose JSON promtool reads as YAML just the same.
test('make alerts-test and make manifests pass in the rendered repository, as CI runs them', async () => {
  const make = (target: string, ...args: string[]) =>
    run('make', [target, ...args], { cwd: service.dir }).then(
      (r) => ({ ok: true, output: r.stdout + r.stderr }),
      (e: { stdout: string; stderr: string }) => ({ ok: false, output: e.stdout + e.stderr }),
    );
  const alerts = await make('alerts-test', 'PROMTOOL=promtool');
  expect(alerts.ok, alerts.output).toBe(true);
  expect(alerts.output).toMatch(/SUCCESS/);
  const manifests = await make('manifests');
  expect(manifests.ok, manifests.output).toBe(true);
});

test('the unit tests can fail: a time-to-first-token threshold of 10 s no longer fires on 4.9 s', async () => {
  const output = await alertsTest((rules) => {
    const rule = rules.groups[0].rules.find((r: Json) => r.alert === 'LlmServiceSlowFirstToken');
    rule.expr = rule.expr.replace(/> 2\s*$/, '> 10');
  });
  expect(output).toMatch(/FAILED[\s\S]*LlmServiceSlowFirstToken/);
});

test('the KEDA triggers and the Rollouts analysis queries are PromQL promtool accepts, on vLLM metrics', async () => {
  const triggers: string[] = find('ScaledObject').spec.triggers.map((t: Json) => t.metadata.query);
  const analysis: string[] = find('AnalysisTemplate').spec.metrics.map((m: Json) => m.provider.prometheus.query);
  expect(triggers).toHaveLength(2);
  expect(analysis).toHaveLength(2);
  expect(await promtoolParses([...triggers, ...analysis])).toMatch(/SUCCESS: 4 rules found/);
  for (const query of [...triggers, ...analysis]) {
    const { metrics, errors } = selectedMetrics(query);
    expect(errors, query).toEqual([]);
    expect(VLLM_METRICS, query).toEqual(expect.arrayContaining(metrics));
  }
  expect(analysis.join()).toMatch(/vllm:time_to_first_token_seconds_bucket\{[^}]*idp_dev_track="canary"/);
  // promtool is a real judge: a broken query is refused.
  expect(await promtoolParses(['sum(vllm:num_requests_waiting{job="x"}'])).not.toMatch(/SUCCESS/);
});

test('the dashboard shows tokens/s, TTFT, ITL, KV cache, queue and replicas, each query parsing on vLLM metrics', () => {
  const configMap = find('ConfigMap');
  const dashboard = JSON.parse(configMap.data[`${service.values.name}.json`]);
  const titles = dashboard.panels.map((p: Json) => p.title).join(' | ');
  for (const part of ['tokens per second', 'Time to first token', 'Inter-token latency', 'KV cache', 'waiting', 'Replicas'])
    expect(titles).toContain(part);
  for (const panel of dashboard.panels) {
    for (const target of panel.targets) {
      const expr = target.expr.replaceAll('$__rate_interval', '5m');
      const { metrics, errors } = selectedMetrics(expr);
      expect(errors, expr).toEqual([]);
      expect(VLLM_METRICS, expr).toEqual(expect.arrayContaining(metrics));
    }
  }
});

test("every alert's runbook link lands on a section of the rendered runbook", async () => {
  const runbook = await readFile(path.join(service.dir, 'docs/runbook.md'), 'utf-8');
  const anchors = [...runbook.matchAll(/^## (.+)$/gm)].map(([, heading]) =>
    heading!
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .trim()
      .replace(/\s+/g, '-'),
  );
  for (const rule of find('PrometheusRule').spec.groups[0].rules) {
    const anchor = String(rule.annotations.runbook_url).split('#')[1];
    expect(anchors, rule.alert).toContain(anchor);
  }
});
