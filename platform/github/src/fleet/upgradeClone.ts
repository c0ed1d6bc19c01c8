import { upgradeServiceCommit } from '@idp/scaffold';
import type { Cloned, RepositoryStep } from './context.js';

/**
 * The upgrade itself, in the clone: the same three-way merge as `idp upgrade`, over the default
 * branch's commit. Conflicts stay in the files as <<<<<<< yours … >>>>>>> markers; they are
 * committed as they are and listed in the PR.
 */
export const upgradeClone: RepositoryStep<Cloned> = {
  id: 'upgrade',
  title: 'Upgrade the service',
  async run(context) {
    const { status, session } = context;
    if (!status.source || !status.target) throw new Error(`${status.repository}: ${status.detail ?? 'no template source to upgrade from'}`);
    const upgrade = await upgradeServiceCommit(context.clone, context.head, {
      record: context.record,
      reader: await session.sources.reader(status.source),
      to: status.target.commit,
      ...(context.contract ? { contract: context.contract } : {}),
    });
    context.upgrade = upgrade;
    const { plan, upToDate, changed } = upgrade.outcome;
    const target = `${upgrade.record.template} ${upgrade.version}`;
    if (upToDate || !changed) {
      context.stop = { status: 'unchanged', detail: `renders as ${target} already: nothing to change` };
      return context.stop;
    }
    const files = plan.added.length + plan.changed.length + plan.removed.length;
    const conflicts = plan.conflicts.length
      ? `, ${plan.conflicts.length} conflicting (${plan.conflicts.map((c) => c.path).join(', ')})`
      : '';
    return {
      status: context.dryRun ? 'planned' : 'updated',
      detail: `${context.dryRun ? 'would change' : 'changed'} ${files} file(s)${conflicts} to follow ${target}`,
    };
  },
};
