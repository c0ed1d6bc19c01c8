/**
 * The plugins and modules of the portal backend, shared by the real backend (index.ts) and
 * the in-process test backend, so the tests exercise exactly what `npm run portal` runs.
 */
export const catalogFeatures = [
  import('@backstage/plugin-catalog-backend'),
  // Makes the catalog accept kind: Template entities.
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
  // Logs entity processing errors, so a broken catalog-info.yaml shows up in the portal log.
  import('@backstage/plugin-catalog-backend-module-logs'),
];

export const scaffolderFeatures = [
  import('@backstage/plugin-scaffolder-backend'),
  import('@backstage/plugin-scaffolder-backend-module-github'),
  import('@idp/scaffolder-backend-module-idp'),
];

export const authFeatures = [
  import('@backstage/plugin-auth-backend'),
  // Guest sign-in for local use; production signs in through GitHub (see README.md).
  import('@backstage/plugin-auth-backend-module-guest-provider'),
];
