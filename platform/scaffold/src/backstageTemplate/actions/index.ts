import { catalogWrite } from './catalogWrite.js';
import { fetchPlain } from './fetchPlain.js';
import { fetchPlainFile } from './fetchPlainFile.js';
import { fetchTemplate } from './fetchTemplate.js';
import { fetchTemplateFile } from './fetchTemplateFile.js';
import { fsDelete } from './fsDelete.js';
import { fsRename } from './fsRename.js';
import { idpLlmSize } from './idpLlmSize.js';
import { idpPlatformContract } from './idpPlatformContract.js';
import { idpSpecValidate } from './idpSpecValidate.js';
import { idpTemplateProvenance } from './idpTemplateProvenance.js';
import type { TemplateAction } from './templateAction.js';

/**
 * The actions `idp new` and `idp upgrade` run, by id: Backstage's built-ins that act on the
 * workspace, and the platform's own (the portal registers the same objects through
 * createTemplateAction wrappers in scaffolder-backend-module-idp). A step whose action is not
 * here reaches another system (publish:github, catalog:register): it is listed with its resolved
 * input, not run, and its output is empty.
 *
 * To add an action: one file here exporting a TemplateAction (`{ id, inputs, run(input, context)
 * → Promise<outputs> }`, host-neutral), and one entry in this list.
 */
export const TEMPLATE_ACTIONS: ReadonlyMap<string, TemplateAction> = new Map(
  [
    fetchTemplate,
    fetchPlain,
    fetchTemplateFile,
    fetchPlainFile,
    fsRename,
    fsDelete,
    catalogWrite,
    idpSpecValidate,
    idpPlatformContract,
    idpTemplateProvenance,
    idpLlmSize,
  ].map((action): [string, TemplateAction] => [action.id, action]),
);
