import { InputError } from '@backstage/errors';
import { DefaultGithubCredentialsProvider, ScmIntegrations } from '@backstage/integration';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { upgradeRepository } from '@idp/github';

export interface UpgradeServiceActionOptions {
  catalog: CatalogService;
  integrations: ScmIntegrations;
  /** The templates source, when not the one each service records (a path or git URL). */
  templates?: string;
}

const TEMPLATE_ANNOTATION = 'idp.dev/template';
const SLUG_ANNOTATION = 'github.com/project-slug';

/**
 * idp:service:upgrade — for one service chosen in the catalog, the pull request `idp fleet
 * upgrade` opens: clone, three-way merge to the newest template and contract, push the upgrade
 * branch, open or update the one PR. GitHub credentials come from the portal's integrations.
 */
export function createUpgradeServiceAction(options: UpgradeServiceActionOptions) {
  const credentials = DefaultGithubCredentialsProvider.fromIntegrations(options.integrations);
  return createTemplateAction({
    id: 'idp:service:upgrade',
    description:
      'Opens (or updates) one pull request that brings a service made from an idp template to the newest template release and platform contract by a three-way merge, as `idp fleet upgrade` does.',
    supportsDryRun: true,
    schema: {
      input: {
        service: z => z.string().describe('The service entity, e.g. component:default/fraud-detector'),
        to: z => z.string().optional().describe('A template version or commit; empty for the newest'),
      },
      output: {
        pullRequestUrl: z => z.string().optional().describe('The upgrade pull request (absent when the service is up to date or in a dry run)'),
        outcome: z => z.string().describe('opened, updated, unchanged, up-to-date or planned'),
        conflicts: z => z.array(z.string()).describe('Files with conflict markers in the pull request'),
      },
    },
    async handler(ctx) {
      const entity = await options.catalog.getEntityByRef(ctx.input.service, { credentials: await ctx.getInitiatorCredentials() });
      if (!entity) throw new InputError(`service: ${ctx.input.service} is not in the catalog (choose a service made from an idp template)`);
      const annotations = entity.metadata.annotations ?? {};
      if (!annotations[TEMPLATE_ANNOTATION]) throw new InputError(`service: ${ctx.input.service} was not made from an idp template (it has no ${TEMPLATE_ANNOTATION} annotation)`);
      const slug = annotations[SLUG_ANNOTATION];
      if (!slug) throw new InputError(`service: ${ctx.input.service} names no GitHub repository (${SLUG_ANNOTATION})`);
      const host = repositoryHost(annotations);
      const integration = options.integrations.github.byHost(host);
      if (!integration) throw new InputError(`service: its repository is on ${host}, which the portal has no GitHub integration for (integrations.github in app-config)`);
      const { token } = await credentials.getCredentials({ url: `https://${host}/${slug}` });
      if (!token) throw new InputError(`The GitHub integration for ${host} has no token or GitHub App to open pull requests with`);

      const result = await upgradeRepository({
        repository: slug,
        token,
        githubUrl: integration.config.apiBaseUrl ?? `https://${host}/api/v3`,
        ...(options.templates ? { templates: options.templates } : {}),
        ...(ctx.input.to ? { to: ctx.input.to } : {}),
        dryRun: ctx.isDryRun,
        onProgress: message => ctx.logger.info(message),
      });
      if (result.outcome === 'failed') throw new Error(result.error ?? `the upgrade of ${slug} failed`);
      ctx.logger.info(`${slug}: ${result.outcome}${result.pull ? ` — ${result.pull.url}` : ''}${result.conflicts.length ? `; conflicts in ${result.conflicts.join(', ')}` : ''}`);
      if (result.pull) ctx.output('pullRequestUrl', result.pull.url);
      ctx.output('outcome', result.outcome);
      ctx.output('conflicts', result.conflicts);
    },
  });
}

/** The host of the service's repository: where the catalog read it from, else github.com. */
function repositoryHost(annotations: Record<string, string>): string {
  for (const key of ['backstage.io/source-location', 'backstage.io/managed-by-location']) {
    const match = /^url:https?:\/\/([^/]+)\//.exec(annotations[key] ?? '');
    if (match) return match[1]!;
  }
  return 'github.com';
}
