import authPlugin from '@backstage/plugin-auth-backend';
import githubProviderModule from '@backstage/plugin-auth-backend-module-github-provider';
import guestProviderModule from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import catalogLogsModule from '@backstage/plugin-catalog-backend-module-logs';
import scaffolderEntityModelModule from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderGithubModule from '@backstage/plugin-scaffolder-backend-module-github';
import scaffolderIdpModule from '@idp/scaffolder-backend-module-idp';
import techdocsPlugin from '@backstage/plugin-techdocs-backend';
import searchPlugin from '@backstage/plugin-search-backend';
import searchCatalogModule from '@backstage/plugin-search-backend-module-catalog';
import searchTechdocsModule from '@backstage/plugin-search-backend-module-techdocs';
import { permissionPolicyModule } from './permissions/permissionPolicyModule';

// The plugins and modules of the portal backend, shared by the real backend (index.ts) and the
// in-process test backend, so the tests exercise exactly what `npm run portal` runs. Static
// imports rather than backend.add(import(...)): Jest cannot follow dynamic imports.

export const catalogFeatures = [
  catalogPlugin,
  // Makes the catalog accept kind: Template entities.
  scaffolderEntityModelModule,
  // Logs entity processing errors, so a broken catalog-info.yaml shows up in the portal log.
  catalogLogsModule,
];

export const scaffolderFeatures = [scaffolderPlugin, scaffolderGithubModule, scaffolderIdpModule];

// TechDocs built in the backend with mkdocs (Debian's `mkdocs` package locally; see app-config.yaml).
export const techdocsFeatures = [techdocsPlugin];

// Search (Backstage's in-memory Lunr engine) over the catalog and the TechDocs sites.
export const searchFeatures = [searchPlugin, searchCatalogModule, searchTechdocsModule];

export const authFeatures = [
  authPlugin,
  // Guest sign-in for local use (development only: the provider refuses in production).
  guestProviderModule,
  // GitHub sign-in, configured in app-config.production.yaml.
  githubProviderModule,
];

// The permission framework with the portal's policy; it decides only where permission.enabled is
// true (app-config.production.yaml). docs/adr/0012-portal-permissions.md
export const permissionFeatures = [permissionPlugin, permissionPolicyModule];
