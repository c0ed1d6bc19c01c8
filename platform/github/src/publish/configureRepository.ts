import { requireRepo, type PublishStep } from './context.js';

/** Description, visibility and topics, set to what the spec says. */
export const configureRepository: PublishStep = {
  id: 'settings',
  title: 'Set description, visibility and topics',
  async run(context) {
    const { github, plan } = context;
    const repo = requireRepo(context);
    const wantedTopics = [...plan.topics].sort();
    if (!repo.exists) return { status: 'planned', detail: `would set topics ${wantedTopics.join(', ')}` };
    const { data } = await github.rest.repos.get({ owner: plan.org, repo: plan.repo });
    const { data: topics } = await github.rest.repos.getAllTopics({ owner: plan.org, repo: plan.repo });
    const changes: string[] = [];
    if ((data.description ?? '') !== plan.description) changes.push('description');
    if (data.visibility !== plan.visibility) changes.push(`visibility ${data.visibility} → ${plan.visibility}`);
    const topicsDiffer = [...topics.names].sort().join(',') !== wantedTopics.join(',');
    if (topicsDiffer) changes.push(`topics ${wantedTopics.join(', ')}`);
    if (!changes.length) return { status: 'unchanged', detail: 'description, visibility and topics match' };
    if (context.dryRun) return { status: 'planned', detail: `would update ${changes.join('; ')}` };
    if (changes.some((c) => !c.startsWith('topics'))) {
      await github.rest.repos.update({
        owner: plan.org,
        repo: plan.repo,
        description: plan.description,
        ...(data.visibility !== plan.visibility ? { visibility: plan.visibility as 'private' } : {}),
      });
    }
    if (topicsDiffer) await github.rest.repos.replaceAllTopics({ owner: plan.org, repo: plan.repo, names: wantedTopics });
    return { status: 'updated', detail: `updated ${changes.join('; ')}` };
  },
};
