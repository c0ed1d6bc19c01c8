import { InfoCard, Link, Progress, StructuredMetadataTable, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef, useEntity } from '@backstage/plugin-catalog-react';
import { useEffect, useState } from 'react';
import { TEMPLATE_ANNOTATION, TEMPLATE_VERSION_ANNOTATION, templateStatus, type TemplateStatus } from './templateStatus';

/** The template a service follows, its version, and whether `idp upgrade` has something for it. */
export function TemplateVersionCard() {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const template = entity.metadata.annotations?.[TEMPLATE_ANNOTATION] ?? '';
  const version = entity.metadata.annotations?.[TEMPLATE_VERSION_ANNOTATION] ?? 'unknown';
  const [status, setStatus] = useState<TemplateStatus | Error>();

  useEffect(() => {
    let current = true;
    catalogApi
      .getEntityByRef({ kind: 'Template', namespace: 'default', name: template })
      .then(found => {
        if (current) setStatus(templateStatus(version, found?.metadata.annotations?.[TEMPLATE_VERSION_ANNOTATION]));
      })
      .catch(error => current && setStatus(error));
    return () => {
      current = false;
    };
  }, [catalogApi, template, version]);

  if (!status) return <Progress />;
  if (status instanceof Error) return <WarningPanel title="Could not read the template" message={status.message} />;
  const upgradeLink = `/create/templates/default/upgrade-service?formData=${encodeURIComponent(
    JSON.stringify({ service: `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`.toLowerCase() }),
  )}`;
  return (
    <InfoCard title="Template">
      <StructuredMetadataTable
        metadata={{
          template,
          version,
          status: describeStatus(status),
        }}
      />
      {status.kind === 'behind' && <Link to={upgradeLink}>Open an upgrade pull request</Link>}
    </InfoCard>
  );
}

function describeStatus(status: TemplateStatus): string {
  if (status.kind === 'up-to-date') return 'up to date';
  if (status.kind === 'unknown') return `unknown (${status.reason})`;
  return `behind: newest is ${status.newest} (${status.releasesBehind} release${status.releasesBehind === 1 ? '' : 's'})`;
}
