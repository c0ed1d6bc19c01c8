import type { DoctorCheck } from '../doctorCheck.js';

const SUPPORTED = [22, 24];

/** Node.js 22 or 24, as the package's engines say (docs/adr/0002-node-24.md). */
export const checkNode: DoctorCheck = {
  id: 'node',
  title: 'Node.js',
  async run() {
    const major = Number(process.versions.node.split('.')[0]);
    if (SUPPORTED.includes(major)) return { status: 'ok', detail: `Node.js ${process.version}` };
    return {
      status: 'fail',
      detail: `Node.js ${process.version} is not supported (idp needs 22 or 24)`,
      fix: 'install Node.js 24, e.g. `nvm install 24`, then reinstall idp',
    };
  },
};
