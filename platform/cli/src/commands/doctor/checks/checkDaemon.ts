import { askDaemon } from '../../../packaged/daemon/askDaemon.js';
import { daemonAddress } from '../../../packaged/daemon/daemonAddress.js';
import { findOnPath } from '../../../packaged/daemon/findOnPath.js';
import { startup } from '../../../shared/startup.js';
import type { DoctorCheck } from '../doctorCheck.js';

/** The installed idp serves `idp new --yes` from a warm daemon, reached through Perl (docs/adr/0016). */
export const checkDaemon: DoctorCheck = {
  id: 'daemon',
  title: 'Warm daemon',
  async run({ env }) {
    if (!startup.packageDir) return { status: 'skip', detail: 'running from the platform repository (the installed idp has a daemon)' };
    if (env.IDP_DAEMON === '0') return { status: 'skip', detail: 'turned off (IDP_DAEMON=0): every command runs in its own process' };
    const address = daemonAddress(startup.packageDir, env);
    if (!address) {
      return {
        status: 'warn',
        detail: 'no private folder for its socket: $XDG_RUNTIME_DIR/idp or the temporary folder is missing, shared or not yours',
        fix: 'set XDG_RUNTIME_DIR to a folder only you can enter (e.g. export XDG_RUNTIME_DIR=$HOME/.run with mode 0700)',
      };
    }
    const perl = findOnPath('perl', env.PATH ?? '', process.cwd());
    const answer = await askDaemon(address.socket, { kind: 'status' }, true);
    const running =
      answer.kind === 'exit'
        ? `runs (pid ${(JSON.parse(Buffer.concat(answer.stdout).toString('utf-8')) as { pid: number }).pid})`
        : 'is not running: the next `idp new … --yes` starts it';
    if (!perl || env.IDP_DAEMON === 'node') {
      return {
        status: 'warn',
        detail: `the daemon ${running}; it is reached through Node.js (no perl on PATH${env.IDP_DAEMON === 'node' ? ', or IDP_DAEMON=node' : ''}), about 40 ms slower`,
        fix: 'install Perl (Debian: apt-get install perl-base; it is on macOS) and unset IDP_DAEMON',
      };
    }
    return { status: 'ok', detail: `the daemon ${running}; reached through ${perl}` };
  },
};
