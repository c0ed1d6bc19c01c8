/** Form values the portal and `idp new` must turn into identical repositories. */
export interface ParityCase {
  title: string;
  values: Record<string, unknown>;
  /** Change to the default platform contract this case runs with (via IDP_PLATFORM_CONTRACT). */
  contract?: (contract: any) => void;
}

const repo = (name: string) => ({ name, owner: 'group:default/ml-team', repoUrl: `github.com?owner=acme&repo=${name}` });

const onEveryEnvironment = (change: (environment: any) => void) => (contract: any) => {
  for (const environment of Object.values(contract.environments)) change(environment);
};

export const PARITY_CASES: ParityCase[] = [
  { title: 'CPU service with every default', values: repo('fraud-detector') },
  {
    title: 'GPU service with every field set',
    values: {
      ...repo('vision-ranker'),
      description: 'Ranks product images',
      system: 'vision-platform',
      modelName: 'resnet.v2_large',
      modelVersion: '2024-06-01',
      modelUri: 's3://models/vision/3',
      modelFormat: 'pytorch',
      gpuType: 'nvidia-a100',
      gpuCount: 2,
      cpu: '7500m',
      memory: '64Gi',
      minReplicas: 2,
      maxReplicas: 10,
      maxModelLoadSeconds: 900,
    },
  },
  { title: 'one-letter name', values: { ...repo('a'), gpuType: 'nvidia-t4' } },
  { title: 'longest name (46 characters)', values: repo(`m${'-x1'.repeat(15)}`) },
  { title: 'digits and double dashes in the name', values: { ...repo('x9--double-dash-7'), owner: 'user:default/ada' } },
  { title: 'description with quotes and backslashes', values: { ...repo('quoted'), description: `He said "ship it" & it's <fine> C:\\models\\new 'ok'` } },
  { title: 'description in unicode', values: { ...repo('unicode'), description: 'Détecteur de fraude — 検出器 🚀 Ωmega' } },
  {
    title: 'description that looks like a template',
    values: { ...repo('templated'), description: '${{ values.name }} {{ values.owner }} {% if true %}x{% endif %} {# c #} ${{ github.sha }}' },
  },
  ...(['istio-ambient', 'istio-sidecar', 'linkerd', 'none'] as const).map(mesh => ({
    title: `mesh ${mesh}`,
    values: { ...repo(`mesh-${mesh}`), gpuType: 'nvidia-l4' },
    contract: onEveryEnvironment(environment => {
      environment.mesh = mesh;
    }),
  })),
  {
    title: 'another organisation on GCP',
    values: { name: 'gcp-service', owner: 'group:default/platform-team', repoUrl: 'github.com?owner=globex&repo=gcp-service' },
    contract: contract => {
      contract.github.org = 'globex';
      for (const environment of Object.values<any>(contract.environments)) {
        environment.cluster = { name: 'ml-gke', provider: 'gcp', region: 'europe-west4' };
        environment.registry = { host: 'europe-west4-docker.pkg.dev', repositoryPrefix: 'globex-ml/models' };
        environment.ciIdentity = {
          kind: 'gcp',
          workloadIdentityProvider: 'projects/123456789/locations/global/workloadIdentityPools/github/providers/github',
          serviceAccount: 'deployer@globex-ml.iam.gserviceaccount.com',
          projectId: 'globex-ml',
          region: 'europe-west4',
        };
      }
    },
  },
];
