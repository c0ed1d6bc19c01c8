// Alerts and dashboard of the model-service skeleton: rules as deployed pass `promtool check rules`
// and fire in `promtool test rules`; every query parses and names metrics the service exports; every
// runbook link lands on a section of the rendered runbook.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import type { GpuType } from '@idp/service-spec';
import { build, pinDigest } from './deliveryKustomize.js';
import type { KubeObject } from './deliveryKubeValidate.js';
import { FAKE_DIGEST, specFor } from './deliveryMatrix.js';
import { CONVENTION_METRICS, exportedMetrics, selectedMetrics } from './deliveryPromql.js';
import { renderService, type RenderedService } from './deliveryRender.js';

const run = promisify(execFile);
const DCGM_METRICS = ['DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_GPU_UTIL'];
// Series from the platform's Prometheus stack itself (scrape health, kube-state-metrics).
const PLATFORM_METRICS = ['up', 'kube_pod_container_status_restarts_total'];

interface Rendered {
  service: RenderedService;
  objects: KubeObject[];
}
const renders = new Map<GpuType, Rendered>();
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'idp-delivery-monitoring-'));
  for (const gpuType of ['none', 'nvidia-h100'] as const) {
    const service = await renderService(specFor(gpuType));
    const overlay = path.join(service.dir, 'deploy/overlays/production');
    pinDigest(overlay, service.values.name, FAKE_DIGEST);
    renders.set(gpuType, { service, objects: await build(overlay) });
  }
});
afterAll(async () => {
  await Promise.all([...renders.values()].map((r) => r.service.cleanup()));
  if (work) await rm(work, { recursive: true, force: true });
});

const ruleGroups = (objects: KubeObject[]) =>
  (
    objects.find((o) => o.kind === 'PrometheusRule') as KubeObject & {
      spec: { groups: { name: string; rules: { alert: string; expr: string; annotations: Record<string, string> }[] }[] };
    }
  ).spec.groups;

test('the service exports every metric of the conventions (read from its metrics module)', async () => {
  const { service } = renders.get('none')!;
  expect(await exportedMetrics(service.dir, service.values.pythonPackage)).toEqual(expect.arrayContaining(CONVENTION_METRICS));
});

describe.each(['none', 'nvidia-h100'] as const)('gpuType %s', (gpuType) => {
  test('promtool check rules accepts the PrometheusRule as deployed', async () => {
    const file = path.join(work, `rules-${gpuType}.yaml`);
    await writeFile(file, stringify({ groups: ruleGroups(renders.get(gpuType)!.objects) }));
    const { stdout } = await run('promtool', ['check', 'rules', file]);
    expect(stdout).toMatch(/SUCCESS: 4 rules found/);
  });

  test('alert queries parse and select only exported or platform metrics', async () => {
    const { service, objects } = renders.get(gpuType)!;
    const exported = await exportedMetrics(service.dir, service.values.pythonPackage);
    const rules = ruleGroups(objects).flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert).sort()).toEqual([
      'ModelServiceHighErrorRatio',
      'ModelServiceHighLatency',
      'ModelServiceNotReady',
      'ModelServiceRestarting',
    ]);
    for (const rule of rules) {
      const { metrics, errors } = selectedMetrics(rule.expr);
      expect(errors, rule.alert).toEqual([]);
      for (const metric of metrics) expect([...exported, ...PLATFORM_METRICS], `${rule.alert} selects ${metric}`).toContain(metric);
    }
  });

  test('the dashboard is JSON, shipped with the contract labels, and queries only exported metrics', async () => {
    const { service, objects } = renders.get(gpuType)!;
    const configMap = objects.find((o) => o.kind === 'ConfigMap') as KubeObject & { data: Record<string, string> };
    expect(configMap.metadata.labels).toMatchObject(service.values.platform.environments.production.observability.dashboardLabels);
    const dashboard = JSON.parse(configMap.data[`${service.values.name}.json`]!) as {
      title: string;
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(dashboard.title).toContain(service.values.name);
    const exported = await exportedMetrics(service.dir, service.values.pythonPackage);
    const allowed = [...exported, ...(gpuType === 'none' ? [] : DCGM_METRICS)];
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        const query = target.expr.replaceAll('$__rate_interval', '5m');
        const { metrics, errors } = selectedMetrics(query);
        expect(errors, `${panel.title}: ${query}`).toEqual([]);
        for (const metric of metrics) {
          expect(allowed, `${panel.title} selects ${metric}`).toContain(metric);
          used.add(metric);
        }
      }
    }
    expect([...used]).toEqual(
      expect.arrayContaining([
        'inference_requests_total',
        'inference_errors_total',
        'inference_request_duration_seconds_bucket',
        'inference_requests_in_flight',
        'model_load_duration_seconds',
        ...(gpuType === 'none' ? [] : DCGM_METRICS),
      ]),
    );
    if (gpuType === 'none') expect([...used].filter((m) => m.startsWith('DCGM_'))).toEqual([]);
  });

  test('every runbook link points at a section of the rendered runbook', async () => {
    const { service, objects } = renders.get(gpuType)!;
    const runbook = await readFile(path.join(service.dir, 'docs/runbook.md'), 'utf-8');
    // GitHub's heading anchors: lower case, punctuation dropped, spaces as '-'.
    const anchors = [...runbook.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) =>
      heading!
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    );
    const prefix = `https://${service.values.platform.github.host}/acme/${service.values.name}/blob/main/docs/runbook.md#`;
    for (const rule of ruleGroups(objects).flatMap((g) => g.rules)) {
      const url = rule.annotations.runbook_url!;
      expect(url.startsWith(prefix), url).toBe(true);
      expect(anchors, `${rule.alert} → ${url}`).toContain(url.slice(prefix.length));
    }
  });
});

test('promtool test rules: each alert fires on the series that should raise it', async () => {
  const { service, objects } = renders.get('none')!;
  const name = service.values.name;
  const namespace = service.values.namespace;
  const selector = `namespace="${namespace}", job="${name}"`;
  const rulesFile = path.join(work, 'unit-rules.yaml');
  await writeFile(rulesFile, stringify({ groups: ruleGroups(objects) }));
  const url = (anchor: string) => `https://github.com/acme/${name}/blob/main/docs/runbook.md#${anchor}`;
  const alertLabels = (severity: string) => ({ severity, service: name });
  const notReadyFor = service.values.maxModelLoadSeconds + 300;
  const tests = {
    rule_files: [rulesFile],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: [
          { series: `inference_requests_total{${selector}, code="200"}`, values: '0+50x40' },
          { series: `inference_requests_total{${selector}, code="500"}`, values: '0+10x40' },
          { series: `inference_request_duration_seconds_bucket{${selector}, le="1"}`, values: '0+1x40' },
          { series: `inference_request_duration_seconds_bucket{${selector}, le="5"}`, values: '0+10x40' },
          { series: `inference_request_duration_seconds_bucket{${selector}, le="+Inf"}`, values: '0+10x40' },
          { series: `model_ready{${selector}, pod="${name}-a"}`, values: '1x40' },
          { series: `model_ready{${selector}, pod="${name}-b"}`, values: '0x40' },
          { series: `up{${selector}, pod="${name}-a"}`, values: '1x40' },
          {
            series: `kube_pod_container_status_restarts_total{namespace="${namespace}", container="model-server", pod="${name}-a"}`,
            values: '0+1x40',
          },
        ],
        alert_rule_test: [
          {
            eval_time: '20m',
            alertname: 'ModelServiceHighErrorRatio',
            exp_alerts: [
              {
                exp_labels: alertLabels('critical'),
                exp_annotations: {
                  summary: `More than 5% of inference requests to ${name} fail with a server error.`,
                  description: '16.67% of requests answered 5xx over the last 5 minutes.',
                  runbook_url: url('high-error-ratio'),
                },
              },
            ],
          },
          {
            eval_time: '30m',
            alertname: 'ModelServiceHighLatency',
            exp_alerts: [
              {
                exp_labels: alertLabels('warning'),
                exp_annotations: {
                  summary: `The p99 inference latency of ${name} is above 1 s.`,
                  description: 'p99 latency is 4.956s over the last 5 minutes.',
                  runbook_url: url('high-latency'),
                },
              },
            ],
          },
          { eval_time: `${Math.floor(notReadyFor / 60) - 1}m`, alertname: 'ModelServiceNotReady', exp_alerts: [] },
          {
            eval_time: `${Math.ceil(notReadyFor / 60) + 2}m`,
            alertname: 'ModelServiceNotReady',
            exp_alerts: [
              {
                exp_labels: alertLabels('critical'),
                exp_annotations: {
                  summary: `Replicas of ${name} are not ready or not scraped.`,
                  description: '1 replicas have not reported a loaded model for longer than a model load takes.',
                  runbook_url: url('not-ready'),
                },
              },
            ],
          },
          {
            eval_time: '35m',
            alertname: 'ModelServiceRestarting',
            exp_alerts: [
              {
                exp_labels: { ...alertLabels('warning'), namespace, container: 'model-server', pod: `${name}-a` },
                exp_annotations: {
                  summary: `A ${name} container restarted more than twice in 30 minutes.`,
                  description: `Pod ${name}-a restarted 30 times in 30 minutes.`,
                  runbook_url: url('restarts'),
                },
              },
            ],
          },
        ],
      },
    ],
  };
  const testFile = path.join(work, 'unit-tests.yaml');
  await writeFile(testFile, stringify(tests));
  const result = await run('promtool', ['test', 'rules', testFile]).catch((error: { stdout?: string; stderr?: string }) => error);
  expect(`${result.stdout}${result.stderr}`).toMatch(/SUCCESS/);
});

test('free text reaches the dashboard as data, never as template or JSON syntax', async () => {
  const description = `Scores "card" transactions — naïve 🚀 \${{ values.name }} {{ x }} {% raw %} \\ end`;
  const service = await renderService({ ...specFor('none'), description });
  try {
    const overlay = path.join(service.dir, 'deploy/overlays/staging');
    pinDigest(overlay, service.values.name, FAKE_DIGEST);
    const configMap = (await build(overlay)).find((o) => o.kind === 'ConfigMap') as KubeObject & { data: Record<string, string> };
    expect((JSON.parse(configMap.data[`${service.values.name}.json`]!) as { description: string }).description).toBe(description);
  } finally {
    await service.cleanup();
  }
});
