import type { HostContext, TemplateAction } from './templateAction.js';

/**
 * idp:platform:contract — the platform contract as `idp new` reads it (the `file` input, else the
 * host's own), validated: outputs `platform`, for fetch:template's values.platform.
 */
export const idpPlatformContract: TemplateAction<HostContext> = {
  id: 'idp:platform:contract',
  inputs: { file: 'string?' },
  async run(input, context) {
    return { platform: await context.contract(input.file as string | undefined) };
  },
};
