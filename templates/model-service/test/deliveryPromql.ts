// PromQL read by Prometheus' own grammar (@prometheus-io/lezer-promql), and the metrics the
// generated service really exports, so dashboards and alerts can be checked against them.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';

/** The metric names a query selects, and its syntax errors. */
export function selectedMetrics(query: string): { metrics: string[]; errors: string[] } {
  const metrics = new Set<string>();
  const errors: string[] = [];
  const cursor = parser.parse(query).cursor();
  do {
    if (cursor.type.isError) errors.push(`syntax error at ${cursor.from}: ${query.slice(Math.max(0, cursor.from - 20), cursor.from + 20)}`);
    if (cursor.name === 'VectorSelector') {
      const identifier = cursor.node.getChild('Identifier');
      if (identifier) metrics.add(query.slice(identifier.from, identifier.to));
      else errors.push(`selector without a metric name: ${query.slice(cursor.from, cursor.to)}`);
    }
  } while (cursor.next());
  return { metrics: [...metrics].sort(), errors };
}

/** The series names in skeleton-conventions.md that dashboards and alerts may use. */
export const CONVENTION_METRICS = [
  'inference_requests_total',
  'inference_request_duration_seconds_bucket',
  'inference_request_duration_seconds_sum',
  'inference_request_duration_seconds_count',
  'inference_requests_in_flight',
  'inference_errors_total',
  'model_load_duration_seconds',
  'model_ready',
  'model_info',
  'service_build_info',
];

/**
 * The series the rendered service's metrics module declares (prometheus_client adds `_total` to
 * counters and `_bucket`, `_sum`, `_count` to histograms).
 */
export async function exportedMetrics(serviceDir: string, pythonPackage: string): Promise<string[]> {
  const source = await readFile(path.join(serviceDir, 'src', pythonPackage, 'metrics.py'), 'utf-8');
  const series = [...source.matchAll(/\b(Counter|Gauge|Histogram)\(\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"/g)].flatMap(([, type, name]) => {
    if (type === 'Counter') return [`${name!.replace(/_total$/, '')}_total`];
    if (type === 'Histogram') return ['_bucket', '_sum', '_count'].map((suffix) => `${name}${suffix}`);
    return [name!];
  });
  return series.sort();
}
