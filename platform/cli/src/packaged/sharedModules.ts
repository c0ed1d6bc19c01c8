/** Where the package's main bundle leaves @idp/service-spec and @idp/scaffold for its lazily loaded bundles. */
export const SHARED_MODULES = Symbol.for('idp.sharedModules');
