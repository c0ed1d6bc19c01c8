import * as pulumi from '@pulumi/pulumi';

// Runs a Pulumi program in-process against mocks: every registration is recorded with its inputs
// and parent chain (from the URN), and cloud-computed attributes get plausible fake values.

export const ACCOUNT_ID = '123456789012';
export const PROJECT_NUMBER = '987654321098';

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
  urn: string;
  /** Type of the parent resource, or undefined for a top-level resource. */
  parentType: string | undefined;
  /** Names of the resources this one waits for (dependsOn and inputs from other resources). */
  dependsOn: string[];
}

export interface MockRun<T> {
  resources: Registered[];
  outputs: T;
  ofType(type: string): Registered[];
  one(type: string, name?: string): Registered;
}

type Unwrapped<T> =
  T extends Promise<infer P>
    ? Unwrapped<P>
    : T extends pulumi.Output<infer U>
      ? U
      : T extends object
        ? { [K in keyof T]: Unwrapped<T[K]> }
        : T;

function computed(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
  switch (type) {
    case 'aws:iam/role:Role':
      return { arn: `arn:aws:iam::${ACCOUNT_ID}:role/${inputs.name ?? name}`, name: inputs.name ?? name };
    case 'aws:iam/openIdConnectProvider:OpenIdConnectProvider':
      return { arn: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com` };
    case 'aws:eks/cluster:Cluster':
      return {
        arn: `arn:aws:eks:eu-west-1:${ACCOUNT_ID}:cluster/${inputs.name}`,
        endpoint: `https://${inputs.name}.eks.example`,
        certificateAuthority: { data: 'Q0E=' },
      };
    case 'aws:ecr/repository:Repository':
      return {
        arn: `arn:aws:ecr:eu-west-1:${ACCOUNT_ID}:repository/${inputs.name}`,
        repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.eu-west-1.amazonaws.com/${inputs.name}`,
      };
    case 'gcp:container/cluster:Cluster':
      return { endpoint: '203.0.113.10', masterAuth: { clusterCaCertificate: 'Q0E=' } };
    case 'gcp:serviceaccount/account:Account':
      return {
        email: `${inputs.accountId}@${inputs.project ?? 'ml-platform-prod'}.iam.gserviceaccount.com`,
        name: `projects/${inputs.project ?? 'ml-platform-prod'}/serviceAccounts/${inputs.accountId}`,
      };
    case 'gcp:iam/workloadIdentityPool:WorkloadIdentityPool':
      return { name: `projects/${PROJECT_NUMBER}/locations/global/workloadIdentityPools/${inputs.workloadIdentityPoolId}` };
    case 'gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider':
      return {
        name: `projects/${PROJECT_NUMBER}/locations/global/workloadIdentityPools/${inputs.workloadIdentityPoolId}/providers/${inputs.workloadIdentityPoolProviderId}`,
      };
    case 'tls:index/privateKey:PrivateKey':
      // A stand-in, not PEM: no key material (real or look-alike) belongs in the repository.
      return { privateKeyPem: `mock-ec-private-key:${name}`, publicKeyPem: 'pub' };
    case 'tls:index/selfSignedCertRequest:SelfSignedCert':
    case 'tls:index/selfSignedCert:SelfSignedCert':
    case 'tls:index/locallySignedCert:LocallySignedCert':
      return { certPem: `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----` };
    default:
      return {};
  }
}

/** Runs `program` under fresh mocks. `stacks` supplies the outputs of referenced stacks by name. */
export async function runUnderMocks<T>(
  program: () => T,
  stacks: Record<string, Record<string, unknown>> = {},
): Promise<MockRun<Unwrapped<T>>> {
  const recorded: Omit<Registered, 'urn' | 'parentType' | 'dependsOn'>[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
        if (args.type === 'pulumi:pulumi:StackReference') {
          const outputs = stacks[args.inputs.name];
          if (!outputs) throw new Error(`no mocked outputs for stack ${args.inputs.name}`);
          return { id: args.inputs.name, state: { name: args.inputs.name, outputs, secretOutputNames: [] } };
        }
        return { id: `${args.name}-id`, state: { ...args.inputs, ...computed(args.type, args.name, args.inputs) } };
      },
      call(args) {
        if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity')
          return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/test`, userId: 'AIDA' };
        return args.inputs;
      },
    },
    'idp-test',
    'test',
    false,
  );
  // The mock API hides dependencies; the monitor's request carries them, so record them there.
  const dependencies = new Map<string, string[]>();
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    resources: Map<string, unknown>;
    registerResource(req: { getType(): string; getName(): string; getDependenciesList(): string[] }, callback: unknown): Promise<void>;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    dependencies.set(`${req.getType()}::${req.getName()}`, req.getDependenciesList());
    return register(req, callback);
  };
  const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;
  let outputs: Unwrapped<T>;
  try {
    // Await an async program first: wrapping a rejected promise in an Output reports it twice.
    const program$ = pulumi.output((await program()) as pulumi.Input<unknown>);
    // Output.promise() rejects when an apply throws, where apply() would leave the test hanging.
    outputs = (await (program$ as unknown as { promise(): Promise<unknown> }).promise()) as Unwrapped<T>;
  } finally {
    // Let this run's registrations finish before the next run replaces the mock monitor.
    await waitForRPCs().catch(() => undefined);
  }
  const urns = [...monitor.resources.keys()];
  const resources = recorded.map((r): Registered => {
    const urn = urns.find((u) => u.endsWith(`::${r.name}`) && u.split('::')[2]?.split('$').at(-1) === r.type) ?? '';
    const chain = urn.split('::')[2]?.split('$') ?? [];
    const dependsOn = (dependencies.get(`${r.type}::${r.name}`) ?? []).map((u) => u.split('::').at(-1) ?? u);
    return { ...r, urn, parentType: chain.length > 1 ? chain.at(-2) : undefined, dependsOn };
  });
  return {
    resources,
    outputs,
    ofType: (type) => resources.filter((r) => r.type === type),
    one(type, name) {
      const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
      if (found.length !== 1)
        throw new Error(
          `expected one ${type}${name ? ` named ${name}` : ''}, found ${found.length}: ${resources.map((r) => `${r.type}::${r.name}`).join(', ')}`,
        );
      return found[0]!;
    },
  };
}
