/**
 * The scaffolder actions of the internal developer platform: idp:spec:validate and
 * idp:platform:contract, thin wrappers over @idp/service-spec and @idp/scaffold, and
 * idp:catalog:register, which registers the repository a run published.
 *
 * @packageDocumentation
 */
export { scaffolderModuleIdp as default } from './module';
export * from './actions';
