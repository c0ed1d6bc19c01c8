import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs } from '@pulumi/policy';

// Minimal validation arguments, so a policy's function can be called directly as the engine would.

export function resourceArgs(type: string, props: Record<string, unknown>, config: object = {}): ResourceValidationArgs {
  return {
    type,
    props,
    urn: `urn:pulumi:test::idp::${type}::r`,
    name: 'r',
    opts: {} as ResourceValidationArgs['opts'],
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => config as T,
    notApplicable: () => {
      throw new Error('not applicable');
    },
  } as unknown as ResourceValidationArgs;
}

export function stackArgs(resources: { type: string; props: Record<string, unknown> }[]): StackValidationArgs {
  return {
    resources: resources.map((r, i) => ({
      ...r,
      urn: `urn:${i}`,
      name: `r${i}`,
      opts: {},
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    })),
    stackTags: new Map(),
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: () => {
      throw new Error('not applicable');
    },
  } as unknown as StackValidationArgs;
}

/** Runs a resource policy's validation function(s) and returns the reported violations. */
export async function violations(
  policy: Pick<ResourceValidationPolicy, 'validateResource'>,
  type: string,
  props: Record<string, unknown>,
  config: object = {},
): Promise<string[]> {
  const found: string[] = [];
  const validations = Array.isArray(policy.validateResource)
    ? policy.validateResource
    : policy.validateResource
      ? [policy.validateResource]
      : [];
  for (const validate of validations) await validate(resourceArgs(type, props, config), (m) => found.push(m));
  return found;
}
