/**
 * The scaffolder actions of the internal developer platform: idp:spec:validate and
 * idp:platform:contract, thin wrappers over @idp/spec and @idp/scaffold.
 *
 * @packageDocumentation
 */
export { scaffolderModuleIdp as default } from './module';
export * from './actions';
