import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  FieldFormatEntityPolicy,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  type Entity,
  type KindValidator,
} from '@backstage/catalog-model';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';

// What the catalog itself applies: its default entity policies, then the kind's own validator.
const policies = [
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
];
const kindValidators: KindValidator[] = [
  componentEntityV1alpha1Validator,
  apiEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  templateEntityV1beta3Validator as KindValidator,
];

/** Every problem Backstage's validators find in these entities, as "Kind name: message". */
export async function validateEntities(docs: unknown[]): Promise<string[]> {
  const problems: string[] = [];
  for (const doc of docs) {
    let entity = doc as Entity;
    const label = `${entity?.kind} ${entity?.metadata?.name}`;
    try {
      for (const policy of policies) entity = (await policy.enforce(entity)) ?? entity;
      const verdicts = await Promise.all(kindValidators.map((v) => v.check(entity)));
      if (!verdicts.some(Boolean)) problems.push(`${label}: no validator knows ${entity.apiVersion} ${entity.kind}`);
    } catch (error) {
      problems.push(`${label}: ${(error as Error).message}`);
    }
  }
  return problems;
}
