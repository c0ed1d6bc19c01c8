import { startup } from '../../../shared/startup.js';
import type { DoctorCheck } from '../doctorCheck.js';

/** The installed idp starts from the V8 startup snapshot its install built for this Node.js. */
export const checkStartup: DoctorCheck = {
  id: 'startup',
  title: 'Fast start',
  async run() {
    if (startup.mode === 'snapshot')
      return { status: 'ok', detail: `started from the startup snapshot built for Node.js ${process.version}` };
    if (startup.mode === 'repository')
      return { status: 'skip', detail: 'running from the platform repository (no startup snapshot there)' };
    return {
      status: 'warn',
      detail: `started without a startup snapshot for Node.js ${process.version} (correct, only slower): none was built, or it was built for another Node.js`,
      fix: 'rebuild it for this Node.js: `npm rebuild -g @idp/cli`',
    };
  },
};
