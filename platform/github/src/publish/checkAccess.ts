import { httpStatus, type PublishStep } from './context.js';
import { PublishError } from './errors.js';

// Classic tokens list their scopes in X-OAuth-Scopes; fine-grained and App tokens send none,
// and then a missing permission shows up as a 403 on the step that needs it.
const REQUIRED_SCOPES = ['repo'];

/** The token works, has the scopes publishing needs, and the organisation exists. */
export const checkAccess: PublishStep = {
  id: 'access',
  title: 'Check the token and the organisation',
  async run({ github, plan }) {
    let scopesHeader: string | undefined;
    try {
      const response = await github.rest.users.getAuthenticated();
      scopesHeader = response.headers['x-oauth-scopes'] as string | undefined;
    } catch (error) {
      if (httpStatus(error) === 401) {
        throw new PublishError('access', 'GitHub rejected the token (401 Bad credentials): set GITHUB_TOKEN or GH_TOKEN to a valid, unexpired token');
      }
      throw error;
    }
    if (scopesHeader !== undefined) {
      const scopes = scopesHeader.split(',').map((s) => s.trim()).filter(Boolean);
      const missing = REQUIRED_SCOPES.filter((s) => !scopes.includes(s));
      if (missing.length) {
        throw new PublishError('access', `The token lacks the scope ${missing.join(', ')} (it has: ${scopes.join(', ') || 'none'}): create a token with the repo scope (and admin:org to grant team access)`);
      }
    }
    try {
      await github.rest.orgs.get({ org: plan.org });
    } catch (error) {
      if (httpStatus(error) === 404) {
        throw new PublishError('access', `The GitHub organisation "${plan.org}" was not found on ${plan.host} (repoUrl ${plan.service.repoUrl}): check repoUrl in .idp/answers.yaml or github.org in the platform contract`);
      }
      throw error;
    }
    return { status: 'unchanged', detail: `organisation ${plan.org} found${scopesHeader !== undefined ? `, token scopes: ${scopesHeader || 'none'}` : ''}` };
  },
};
