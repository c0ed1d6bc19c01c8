import { askDaemon } from '../../packaged/daemon/askDaemon.js';
import { daemonAddress } from '../../packaged/daemon/daemonAddress.js';
import type { DaemonStatus } from '../../packaged/daemon/serveDaemon.js';
import type { Reporter } from '../../shared/reporter.js';
import { startup } from '../../shared/startup.js';

/** The daemon's socket for this idp, or undefined in the repository, which runs without one. */
function socket(reporter: Reporter): string | undefined {
  if (!startup.packageDir) {
    reporter.info('No daemon: the repository idp runs every command in its own process (the installed idp has one).');
    return undefined;
  }
  const address = daemonAddress(startup.packageDir);
  if (!address) reporter.info('No daemon: there is no private folder for its socket ($XDG_RUNTIME_DIR or the temporary folder).');
  return address?.socket;
}

export async function daemonStatus(reporter: Reporter): Promise<void> {
  const at = socket(reporter);
  const answer = at ? await askDaemon(at, { kind: 'status' }, true) : undefined;
  if (answer?.kind !== 'exit') {
    if (at) reporter.info('The idp daemon is not running: the next `idp new … --yes` starts it.');
    reporter.result({ ok: true, running: false });
    return;
  }
  const status = JSON.parse(Buffer.concat(answer.stdout).toString('utf-8')) as DaemonStatus;
  reporter.info(
    `The idp daemon runs (pid ${status.pid}, Node.js ${status.node}) since ${status.startedAt}: ${status.served} commands served; it ends after ${status.idleSeconds} s without one.`,
  );
  reporter.result({ ok: true, running: true, socket: at, ...status });
}

export async function stopDaemon(reporter: Reporter): Promise<void> {
  const at = socket(reporter);
  const answer = at ? await askDaemon(at, { kind: 'stop' }) : undefined;
  if (at) reporter.info(answer?.kind === 'exit' ? 'Stopped the idp daemon.' : 'The idp daemon was not running.');
  reporter.result({ ok: true, stopped: answer?.kind === 'exit' });
}
