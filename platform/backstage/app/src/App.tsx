import { createApp } from '@backstage/frontend-defaults';
import apiDocsPlugin from '@backstage/plugin-api-docs/alpha';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import searchPlugin from '@backstage/plugin-search/alpha';
import techdocsPlugin from '@backstage/plugin-techdocs/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import { navModule } from './modules/nav';
import { scaffolderFieldsModule } from './modules/scaffolder';
import { signInModule } from './modules/signIn';
import { templateVersionModule } from './modules/templateVersion';

/**
 * The portal's frontend. Features are listed here rather than discovered (`app.packages: all`)
 * so that what the portal shows is read from one file, and a plugin added to package.json
 * for another reason never appears by surprise.
 */
export default createApp({
  features: [
    catalogPlugin,
    scaffolderPlugin,
    techdocsPlugin,
    // Search across the catalog and TechDocs; the TechDocs reader's search box needs its API too.
    searchPlugin,
    apiDocsPlugin,
    orgPlugin,
    userSettingsPlugin,
    navModule,
    scaffolderFieldsModule,
    signInModule,
    templateVersionModule,
  ],
});
