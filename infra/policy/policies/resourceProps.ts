/**
 * The inputs of a resource as a policy sees them: Pulumi hands policies untyped, provider-shaped
 * objects (any Kubernetes kind, any cloud resource), so a policy reads them as loosely as they come.
 */
// biome-ignore lint/suspicious/noExplicitAny: untyped by Pulumi; each policy checks the shape it reads.
export type ResourceProps = Record<string, any>;
