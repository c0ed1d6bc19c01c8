import type { DoctorCheck } from '../doctorCheck.js';

const SETTING_FIX =
  'set `backstageUrl:` in the idp config file (or IDP_BACKSTAGE_URL, or --backstage-url), e.g. https://backstage.example.com';

/** The Backstage in effect answers its catalog API (with BACKSTAGE_TOKEN when set). */
export const checkBackstage: DoctorCheck = {
  id: 'backstage',
  title: 'Backstage',
  async run({ flags, env }) {
    if (!flags.backstageUrl)
      return {
        status: 'skip',
        detail: 'no Backstage URL configured: idp publish will not register services in a catalog',
        fix: SETTING_FIX,
      };
    const { backstageCatalog, CatalogError } = await import('@idp/github');
    const catalog = backstageCatalog({ url: flags.backstageUrl, ...(env.BACKSTAGE_TOKEN ? { token: env.BACKSTAGE_TOKEN } : {}) });
    try {
      await catalog.call((client) => client.getEntities({ limit: 1 }));
    } catch (error) {
      if (error instanceof CatalogError) return { status: 'fail', detail: error.detail, fix: error.fix };
      throw error;
    }
    return { status: 'ok', detail: `catalog at ${catalog.url} answers` };
  },
};
