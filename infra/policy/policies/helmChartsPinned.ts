import type { ResourceProps } from './resourceProps.js';
import type { ResourceValidationPolicy } from '@pulumi/policy';

// An unpinned chart is a different deployment every time the repository publishes: reviews, previews
// and rollbacks stop meaning anything.

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const HELM_TYPES = new Set(['kubernetes:helm.sh/v3:Release', 'kubernetes:helm.sh/v4:Chart', 'kubernetes:helm.sh/v3:Chart']);

export function chartPinProblem(type: string, props: ResourceProps): string | undefined {
  if (!HELM_TYPES.has(type)) return undefined;
  const version = props.version;
  if (typeof version === 'string' && EXACT_VERSION.test(version)) return undefined;
  return `Helm chart ${props.chart ?? '(unknown)'} must be pinned to an exact version (e.g. 1.26.3), not ${version === undefined || version === '' ? 'latest' : JSON.stringify(version)}`;
}

export const helmChartsPinned: ResourceValidationPolicy = {
  name: 'helm-charts-pinned',
  description: 'Helm charts are pinned to exact versions.',
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    const problem = chartPinProblem(args.type, args.props);
    if (problem) reportViolation(problem);
  },
};
