import type { DoctorCheck } from '../doctorCheck.js';

const SETTING_FIX =
  'set `backstageUrl:` in the idp config file (or IDP_BACKSTAGE_URL, or --backstage-url), e.g. https://backstage.example.com';

/** The Backstage in effect answers its catalog API (with BACKSTAGE_TOKEN when set). */
export const checkBackstage: DoctorCheck = {
  id: 'backstage',
  title: 'Backstage',
  async run({ flags, env }) {
    const url = flags.backstageUrl?.replace(/\/+$/, '');
    if (!url)
      return {
        status: 'skip',
        detail: 'no Backstage URL configured: idp publish will not register services in a catalog',
        fix: SETTING_FIX,
      };
    const token = env.BACKSTAGE_TOKEN;
    let response: Response;
    try {
      response = await fetch(`${url}/api/catalog/entities?limit=1`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      return {
        status: 'fail',
        detail: `cannot reach Backstage at ${url} (${cause})`,
        fix: `check that Backstage runs there, or ${SETTING_FIX}`,
      };
    }
    if (response.status === 401 || response.status === 403) {
      return {
        status: 'fail',
        detail: `${url} answered ${response.status} to the catalog API${token ? ' with BACKSTAGE_TOKEN' : ''}`,
        fix: 'export BACKSTAGE_TOKEN with a token the catalog accepts (a static external-access token of the backend)',
      };
    }
    if (!response.ok) return { status: 'fail', detail: `${url}/api/catalog/entities answered ${response.status}`, fix: SETTING_FIX };
    return { status: 'ok', detail: `catalog at ${url} answers` };
  },
};
