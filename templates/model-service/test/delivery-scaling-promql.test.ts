// The PromQL that scales the service (KEDA triggers) and judges a canary (Argo Rollouts analysis),
// taken from the built overlay and run by `promtool test rules` as recording rules on synthetic
// series: at N in-flight requests per replica the trigger gives what KEDA compares, and a 5 % error
// rate fails the analysis while 0.5 % passes.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { build, pinDigest } from './deliveryKustomize.js';
import type { KubeObject } from './deliveryKubeValidate.js';
import { FAKE_DIGEST, specFor, variantFor } from './deliveryMatrix.js';
import { selectedMetrics } from './deliveryPromql.js';
import { contractVariant, renderService, type RenderedService } from './deliveryRender.js';

const run = promisify(execFile);
type Json = Record<string, any>;

let service: RenderedService;
let objects: KubeObject[];
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'idp-delivery-scaling-'));
  service = await renderService(specFor('nvidia-l4'), await contractVariant(variantFor('istio-ambient', 'on')));
  const overlay = path.join(service.dir, 'deploy/overlays/production');
  pinDigest(overlay, service.values.name, FAKE_DIGEST);
  objects = await build(overlay);
});
afterAll(async () => {
  await service?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

const one = (kind: string) => objects.find((o) => o.kind === kind) as KubeObject & Json;
const trigger = (name: string) => (one('ScaledObject').spec.triggers as Json[]).find((t) => t.name === name)!;
const analysisMetric = (name: string) => (one('AnalysisTemplate').spec.metrics as Json[]).find((m) => m.name === name)!;

/** An Argo Rollouts successCondition of the form the template uses, evaluated on one result. */
function succeeds(condition: string, value: number): boolean {
  expect(condition).toMatch(/^isNaN\(result\[0\]\) \|\| result\[0\] < [\d.]+$/);
  return new Function('isNaN', 'result', `return ${condition};`)(Number.isNaN, [value]) as boolean;
}

/** Runs promtool on recording rules of `queries`, returning each record's value at `evalTime`. */
async function evaluate(
  name: string,
  queries: Record<string, string>,
  series: { series: string; values: string }[],
  expected: Record<string, number>,
  evalTime = '10m',
) {
  const rulesFile = path.join(work, `${name}-rules.yaml`);
  await writeFile(rulesFile, stringify({ groups: [{ name, rules: Object.entries(queries).map(([record, expr]) => ({ record, expr })) }] }));
  const tests = {
    rule_files: [rulesFile],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: series,
        // Rounded to 1e-4: rate() over synthetic counters leaves floating-point noise.
        promql_expr_test: Object.entries(expected).map(([record, value]) => ({
          expr: `round(${record}, 0.0001)`,
          eval_time: evalTime,
          exp_samples: [{ labels: '{}', value }],
        })),
      },
    ],
  };
  const testFile = path.join(work, `${name}-tests.yaml`);
  await writeFile(testFile, stringify(tests));
  const result = await run('promtool', ['test', 'rules', testFile]).catch((error: { stdout?: string; stderr?: string }) => error);
  return `${result.stdout}${result.stderr}`;
}

test('the queries parse and select the metrics the service and DCGM export', () => {
  const queries = [
    trigger('in-flight-requests').metadata.query,
    trigger('gpu-utilisation').metadata.query,
    analysisMetric('error-ratio').provider.prometheus.query,
    analysisMetric('p99-latency').provider.prometheus.query,
  ];
  const used = queries.flatMap((q: string) => {
    const { metrics, errors } = selectedMetrics(q);
    expect(errors, q).toEqual([]);
    return metrics;
  });
  expect([...new Set(used)].sort()).toEqual([
    'DCGM_FI_DEV_GPU_UTIL',
    'inference_request_duration_seconds_bucket',
    'inference_requests_in_flight',
    'inference_requests_total',
  ]);
});

test('KEDA: at N in-flight requests per replica the trigger gives N × replicas, which KEDA averages to N against its threshold', async () => {
  const { name, namespace } = service.values;
  const replicas = 3;
  const perReplica = 6;
  const threshold = Number(trigger('in-flight-requests').metadata.threshold);
  const series = [
    ...Array.from({ length: replicas }, (_, i) => ({
      series: `inference_requests_in_flight{namespace="${namespace}", job="${name}", pod="${name}-${i}", model="m"}`,
      values: `${perReplica}x20`,
    })),
    // Another service in the namespace and the same service elsewhere must not count.
    { series: `inference_requests_in_flight{namespace="${namespace}", job="other", pod="other-0", model="m"}`, values: '50x20' },
    { series: `inference_requests_in_flight{namespace="elsewhere", job="${name}", pod="${name}-0", model="m"}`, values: '50x20' },
    // GPU utilisation of this service's two replicas' GPUs (70 % and 90 %) and of another pod.
    { series: `DCGM_FI_DEV_GPU_UTIL{namespace="${namespace}", pod="${name}-0", gpu="0"}`, values: '70x20' },
    { series: `DCGM_FI_DEV_GPU_UTIL{namespace="${namespace}", pod="${name}-1", gpu="0"}`, values: '90x20' },
    { series: `DCGM_FI_DEV_GPU_UTIL{namespace="${namespace}", pod="batch-0", gpu="0"}`, values: '0x20' },
  ];
  const output = await evaluate(
    'keda',
    {
      'keda:in_flight_requests': trigger('in-flight-requests').metadata.query,
      'keda:gpu_utilisation': trigger('gpu-utilisation').metadata.query,
    },
    series,
    { 'keda:in_flight_requests': replicas * perReplica, 'keda:gpu_utilisation': 80 },
  );
  expect(output).toMatch(/SUCCESS/);
  // What the HPA KEDA manages does with it (AverageValue): value / replicas against the threshold.
  expect((replicas * perReplica) / replicas).toBe(perReplica);
  expect(Math.ceil((replicas * perReplica) / threshold)).toBe(5);
  // GPU utilisation is a Value target: replicas × value / threshold.
  expect(trigger('gpu-utilisation').metricType).toBe('Value');
  expect(Number(trigger('gpu-utilisation').metadata.threshold)).toBe(80);
});

test('promtool really compares: a wrong expectation fails', async () => {
  const output = await evaluate(
    'keda-wrong',
    { 'keda:in_flight_requests': trigger('in-flight-requests').metadata.query },
    [
      {
        series: `inference_requests_in_flight{namespace="${service.values.namespace}", job="${service.values.name}", pod="x"}`,
        values: '2x20',
      },
    ],
    { 'keda:in_flight_requests': 3 },
  );
  expect(output).toMatch(/FAILED/);
});

test('analysis: a canary answering 5 % errors fails, 0.5 % passes; the stable version does not count', async () => {
  const { name, namespace } = service.values;
  const requests = (track: string, code: number, perMinute: number) => ({
    series: `inference_requests_total{namespace="${namespace}", job="${name}", idp_dev_track="${track}", code="${code}", pod="${name}-${track}"}`,
    values: `0+${perMinute}x20`,
  });
  const errorRatio = analysisMetric('error-ratio');
  const bad = await evaluate(
    'canary-bad',
    { 'analysis:error_ratio': errorRatio.provider.prometheus.query },
    [requests('canary', 200, 570), requests('canary', 500, 30), requests('stable', 200, 1000)],
    { 'analysis:error_ratio': 0.05 },
  );
  expect(bad).toMatch(/SUCCESS/);
  expect(succeeds(errorRatio.successCondition, 0.05)).toBe(false);

  const good = await evaluate(
    'canary-good',
    { 'analysis:error_ratio': errorRatio.provider.prometheus.query },
    [requests('canary', 200, 597), requests('canary', 500, 3), requests('stable', 500, 1000)],
    { 'analysis:error_ratio': 0.005 },
  );
  expect(good).toMatch(/SUCCESS/);
  expect(succeeds(errorRatio.successCondition, 0.005)).toBe(true);
  // Before the canary has traffic the ratio is NaN: no verdict yet, not a failure.
  expect(succeeds(errorRatio.successCondition, Number.NaN)).toBe(true);
});

test('analysis: a canary whose p99 exceeds the objective fails', async () => {
  const { name, namespace } = service.values;
  const bucket = (le: string, perMinute: number) => ({
    series: `inference_request_duration_seconds_bucket{namespace="${namespace}", job="${name}", idp_dev_track="canary", le="${le}", pod="${name}-c"}`,
    values: `0+${perMinute}x20`,
  });
  const p99 = analysisMetric('p99-latency');
  // 96 % of requests within 1 s, the rest within 3 s: p99 = 1 + 2 × 3/4 = 2.5 s.
  const output = await evaluate(
    'canary-slow',
    { 'analysis:p99_seconds': p99.provider.prometheus.query },
    [bucket('1', 96), bucket('3', 100), bucket('+Inf', 100)],
    { 'analysis:p99_seconds': 2.5 },
  );
  expect(output).toMatch(/SUCCESS/);
  expect(succeeds(p99.successCondition, 2.5)).toBe(false);
  expect(succeeds(p99.successCondition, 0.4)).toBe(true);
});

test("scale to zero: callers' requests wake the service (nothing else does), and a slow wake-up alerts", async () => {
  const sleeping = await renderService(
    { ...specFor('nvidia-l4'), minReplicas: 0 },
    await contractVariant(variantFor('istio-sidecar', 'scale-to-zero')),
  );
  try {
    const overlay = path.join(sleeping.dir, 'deploy/overlays/production');
    pinDigest(overlay, sleeping.values.name, FAKE_DIGEST);
    const built = await build(overlay);
    const scaled = built.find((o) => o.kind === 'ScaledObject') as KubeObject & Json;
    const wake = (scaled.spec.triggers as Json[]).find((t) => t.name === 'wake-on-requests')!;
    const { name, namespace } = sleeping.values;
    const callers = (perMinute: number) => ({
      series: `istio_requests_total{reporter="source", destination_service_name="${name}", destination_service_namespace="${namespace}", response_code="503", source_workload="checkout"}`,
      values: `0+${perMinute}x20`,
    });
    // 30 requests a minute from callers, none served (no pod): 0.5/s, above the activation threshold.
    expect(await evaluate('wake', { 'keda:wake': wake.metadata.query }, [callers(30)], { 'keda:wake': 0.5 })).toMatch(/SUCCESS/);
    expect(0.5).toBeGreaterThan(Number(wake.metadata.activationThreshold));
    // No traffic at all (and no series of the service): 0, so it stays at zero.
    const quiet = [
      {
        series: `istio_requests_total{reporter="source", destination_service_name="other", destination_service_namespace="${namespace}"}`,
        values: '0+30x20',
      },
    ];
    expect(await evaluate('idle', { 'keda:wake': wake.metadata.query }, quiet, { 'keda:wake': 0 })).toMatch(/SUCCESS/);

    const rules = (built.find((o) => o.kind === 'PrometheusRule') as KubeObject & Json).spec.groups;
    const rulesFile = path.join(work, 'cold-start-rules.yaml');
    await writeFile(rulesFile, stringify({ groups: rules }));
    const load = sleeping.values.maxModelLoadSeconds;
    const tests = {
      rule_files: [rulesFile],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            {
              series: `model_load_duration_seconds{namespace="${namespace}", job="${name}", pod="${name}-a", model="m", version="1"}`,
              values: `${load + 300}x10`,
            },
          ],
          alert_rule_test: [
            {
              eval_time: '5m',
              alertname: 'ModelServiceSlowColdStart',
              exp_alerts: [
                {
                  exp_labels: { severity: 'warning', service: name },
                  exp_annotations: {
                    summary: `Waking ${name} from zero took longer than its model-load budget.`,
                    description: 'The last model load took 25m 0s; the first request after idle waited at least that long.',
                    runbook_url: `https://github.com/acme/${name}/blob/main/docs/runbook.md#cold-start`,
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const testFile = path.join(work, 'cold-start-tests.yaml');
    await writeFile(testFile, stringify(tests));
    const result = await run('promtool', ['test', 'rules', testFile]).catch((error: { stdout?: string; stderr?: string }) => error);
    expect(`${result.stdout}${result.stderr}`).toMatch(/SUCCESS/);
  } finally {
    await sleeping.cleanup();
  }
});
