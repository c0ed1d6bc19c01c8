import { httpStatus, type PublishContext, type PublishStep } from './context.js';
import { PublishError } from './errors.js';

// Classic tokens list their scopes in X-OAuth-Scopes; fine-grained and App tokens send none,
// and then a missing permission shows up as a 403 on the step that needs it.
const REQUIRED_SCOPES = ['repo'];

/** The scopes a classic token has, or undefined when GitHub does not say (fine-grained tokens). */
async function tokenScopes({ github }: PublishContext): Promise<string[] | undefined> {
  try {
    const response = await github.rest.users.getAuthenticated();
    const header = response.headers['x-oauth-scopes'] as string | undefined;
    return header === undefined
      ? undefined
      : header
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  } catch (error) {
    if (httpStatus(error) === 401) {
      throw new PublishError(
        'access',
        'GitHub rejected the token (401 Bad credentials): set GITHUB_TOKEN or GH_TOKEN to a valid, unexpired token',
      );
    }
    throw error;
  }
}

/** The credentials work, a token has the scopes publishing needs, and the organisation exists. */
export const checkAccess: PublishStep = {
  id: 'access',
  title: 'Check the token and the organisation',
  async run(context) {
    const { github, plan } = context;
    // An App installation token cannot read /user; its permissions are the installation's.
    const scopes = context.actingAs === 'token' ? await tokenScopes(context) : undefined;
    const missing = REQUIRED_SCOPES.filter((s) => scopes && !scopes.includes(s));
    if (missing.length) {
      throw new PublishError(
        'access',
        `The token lacks the scope ${missing.join(', ')} (it has: ${scopes!.join(', ') || 'none'}): create a token with the repo scope (and admin:org to grant team access)`,
      );
    }
    try {
      await github.rest.orgs.get({ org: plan.org });
    } catch (error) {
      if (httpStatus(error) === 401) {
        throw new PublishError(
          'access',
          'GitHub rejected the credentials (401 Bad credentials): check the token or the GitHub App installation',
        );
      }
      if (httpStatus(error) === 404) {
        throw new PublishError(
          'access',
          `The GitHub organisation "${plan.org}" was not found on ${plan.host} (repoUrl ${plan.service.repoUrl}): check repoUrl in .idp/answers.yaml or github.org in the platform contract`,
        );
      }
      throw error;
    }
    const as =
      context.actingAs === 'app' ? ', acting as a GitHub App installation' : scopes ? `, token scopes: ${scopes.join(', ') || 'none'}` : '';
    return { status: 'unchanged', detail: `organisation ${plan.org} found${as}` };
  },
};
