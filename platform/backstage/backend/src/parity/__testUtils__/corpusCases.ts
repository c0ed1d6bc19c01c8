/** Answers for one template of the corpus (test/fixtures/backstage-templates), as --values gives them. */
export interface CorpusCase {
  template: string;
  title: string;
  answers: Record<string, unknown>;
}

// Strings that try to break out of what they are put in: template syntax of both engines,
// YAML, JSON and shell quoting, and text far from ASCII.
export const HOSTILE = {
  template: '${{ parameters.name }} {{ values.name }} {% raw %}{% endraw %} {# c #} ${{ 7 * 7 }}',
  quotes: `He said "ship it" & it's <fine> C:\\new\\path 'ok' \`rm -rf /\` $(whoami)`,
  unicode: 'Détecteur — 検出器 🚀 Ωmega \u200d zero-width',
  yaml: 'key: value\n- item\n# comment\n---\n...',
};

const repo = (name: string) => `github.com?owner=acme&repo=${name}`;

const hostile = `${HOSTILE.template} ${HOSTILE.quotes} ${HOSTILE.unicode}`;

export const CORPUS_CASES: CorpusCase[] = [
  { template: 'multi-page-service', title: 'defaults', answers: { name: 'svc', owner: 'group:default/team-a', repoUrl: repo('svc') } },
  {
    template: 'multi-page-service',
    title: 'every field, docs off',
    answers: { name: 'svc.v2_x', owner: 'group:platform/ml', repoUrl: repo('svc2'), nodeVersion: '24', port: 65535, withDocs: false },
  },
  {
    template: 'multi-page-service',
    title: 'hostile description, short owner',
    answers: { name: 'x', owner: 'team-b', repoUrl: repo('x'), description: `${hostile}\n${HOSTILE.yaml}` },
  },

  { template: 'nested-objects', title: 'defaults', answers: { name: 'cfg', app: {} } },
  {
    template: 'nested-objects',
    title: 'every nested field',
    answers: {
      name: 'cfg-2',
      app: { port: 443, logLevel: 'debug', features: { metrics: false, tracing: true }, motd: hostile },
      database: { engine: 'mysql', host: 'db.internal', port: 3306 },
    },
  },
  { template: 'nested-objects', title: 'partial objects', answers: { name: 'p', app: { port: 1, features: { tracing: true } }, database: { host: HOSTILE.quotes } } },

  { template: 'arrays', title: 'defaults', answers: { name: 'api' } },
  {
    template: 'arrays',
    title: 'several endpoints, tags and methods',
    answers: {
      name: 'orders-api',
      tags: ['orders', hostile, HOSTILE.yaml],
      methods: ['GET', 'POST', 'DELETE'],
      endpoints: [
        { path: '/orders', handler: 'listOrders', summary: hostile },
        { path: '/orders/new', handler: 'createOrder' },
        { path: '/', handler: 'root', summary: HOSTILE.unicode },
      ],
    },
  },
  { template: 'arrays', title: 'empty lists', answers: { name: 'bare', tags: [], methods: [], endpoints: [{ path: '/only' }] } },

  { template: 'dependencies-oneof', title: 'web with defaults', answers: { name: 'site' } },
  { template: 'dependencies-oneof', title: 'worker, GitLab CI', answers: { name: 'jobs', kind: 'worker', queue: hostile, concurrency: 16, ciProvider: 'gitlab' } },
  { template: 'dependencies-oneof', title: 'cron without CI', answers: { name: 'nightly', kind: 'cron', schedule: '0 3 * * *', withCi: false } },

  { template: 'step-conditions', title: 'defaults', answers: { name: 'envs' } },
  {
    template: 'step-conditions',
    title: 'production, every region, a note',
    answers: { name: 'envs-all', includeProd: true, regions: ['eu-west-1', 'us-east-1', 'ap-south-1'], note: hostile },
  },
  { template: 'step-conditions', title: 'minimal, no regions', answers: { name: 'envs-min', minimal: true, regions: [] } },

  { template: 'multi-fetch', title: 'dev', answers: { name: 'mono' } },
  { template: 'multi-fetch', title: 'prod, hostile team', answers: { name: 'mono-prod', environment: 'prod', team: hostile } },
  { template: 'multi-fetch', title: 'unicode team', answers: { name: 'm.2', team: HOSTILE.unicode } },

  { template: 'binary-assets', title: 'plain name', answers: { name: 'site' } },
  { template: 'binary-assets', title: 'dotted name', answers: { name: 'www.example.org' } },
  { template: 'binary-assets', title: 'underscored name', answers: { name: 'My_Site-2' } },

  { template: 'templated-names', title: 'with tests', answers: { name: 'my-package' } },
  { template: 'templated-names', title: 'without tests', answers: { name: 'p', withTests: false } },
  { template: 'templated-names', title: 'long name', answers: { name: `a${'-b2'.repeat(13)}` } },

  { template: 'template-file-extension', title: 'defaults', answers: { name: 'ext' } },
  { template: 'template-file-extension', title: 'port', answers: { name: 'ext-2', port: 1 } },
  { template: 'template-file-extension', title: 'dotted name', answers: { name: 'e.x.t' } },

  { template: 'copy-without', title: 'plain', answers: { name: 'static' } },
  { template: 'copy-without', title: 'dotted', answers: { name: 'static.v2' } },
  { template: 'copy-without', title: 'underscored', answers: { name: 'A_1' } },

  { template: 'cookiecutter-compat', title: 'defaults', answers: { name: 'cookie' } },
  { template: 'cookiecutter-compat', title: 'hostile tags', answers: { name: 'cookie-2', tags: [hostile, HOSTILE.yaml, '{{ cookiecutter.name }}'] } },
  { template: 'cookiecutter-compat', title: 'one tag', answers: { name: 'c', tags: ['solo'] } },

  {
    template: 'filters',
    title: 'GitHub, short system',
    answers: { name: 'facts', repoUrl: repo('facts'), system: 'payments' },
  },
  {
    template: 'filters',
    title: 'GitLab subgroup, full system',
    answers: { name: 'facts-gl', repoUrl: 'gitlab.com?owner=group%2Fsub&repo=facts', system: 'system:default/checkout', replicas: 7, ratio: 1.25, enabled: false },
  },
  {
    template: 'filters',
    title: 'Bitbucket and Azure DevOps',
    answers: { name: 'facts-bb', repoUrl: 'bitbucket.org?workspace=ws&project=PRJ&repo=facts', system: 'other/billing', replicas: 0 },
  },
  {
    template: 'filters',
    title: 'Azure DevOps',
    answers: { name: 'facts-az', repoUrl: 'dev.azure.com?organization=org&project=proj&repo=facts', system: 'System:platform/core' },
  },
];
