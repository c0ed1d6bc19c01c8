import { lookUp, requireRepo, type PublishStep } from './context.js';

// As the portal's publish:github step protects main (templates/model-service/template.yaml:
// enforce admins, code owners, one approval; Backstage's defaults for the rest).
export const REQUIRED_APPROVALS = 1;

/** main takes changes through reviewed pull requests whose CI jobs passed. */
export const protectMain: PublishStep = {
  id: 'protection',
  title: 'Protect main',
  async run(context) {
    const { github, plan } = context;
    const checks = [...plan.requiredChecks].sort();
    const wanted = `checks ${checks.join(', ')}; ${REQUIRED_APPROVALS} approval, code owners`;
    if (!requireRepo(context).exists) return { status: 'planned', detail: `would require ${wanted}` };
    const current = await lookUp(() => github.rest.repos.getBranchProtection({ owner: plan.org, repo: plan.repo, branch: 'main' }));
    const reviews = current?.required_pull_request_reviews;
    const matches =
      current !== undefined &&
      [...(current.required_status_checks?.contexts ?? [])].sort().join('\n') === checks.join('\n') &&
      current.required_status_checks?.strict === true &&
      reviews?.require_code_owner_reviews === true &&
      reviews.required_approving_review_count === REQUIRED_APPROVALS &&
      reviews.dismiss_stale_reviews === false &&
      current.enforce_admins?.enabled === true;
    if (matches) return { status: 'unchanged', detail: `main requires ${wanted}` };
    if (context.dryRun) return { status: 'planned', detail: `would require ${wanted}` };
    await github.rest.repos.updateBranchProtection({
      owner: plan.org,
      repo: plan.repo,
      branch: 'main',
      required_status_checks: { strict: true, contexts: checks },
      enforce_admins: true,
      required_pull_request_reviews: {
        required_approving_review_count: REQUIRED_APPROVALS,
        require_code_owner_reviews: true,
        dismiss_stale_reviews: false,
        require_last_push_approval: false,
      },
      restrictions: null,
      allow_force_pushes: false,
      allow_deletions: false,
      required_conversation_resolution: false,
      required_linear_history: false,
    });
    return { status: current ? 'updated' : 'created', detail: `main requires ${wanted}` };
  },
};
