import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export { git } from '../../../test/git.js';
export { createTemplateRepo } from '../../../test/templateRepo.js';

export const scratch = (prefix = 'idp-upgrade-') => mkdtemp(path.join(tmpdir(), prefix));
