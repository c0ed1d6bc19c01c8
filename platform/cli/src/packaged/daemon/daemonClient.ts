// The entry of dist/daemonClient.cjs: what bin/idp runs for a command the daemon serves (docs/adr/0016).
// Kept to Node's built-ins and these few files, so it starts about as fast as `node -e 0`. Exits
// with EXIT_NOT_SERVED, having run nothing, when no daemon answers (then bin/idp runs idp itself,
// and a daemon is started in the background for the next run).
import { isatty } from 'node:tty';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { askDaemon } from './askDaemon.js';
import { daemonAddress } from './daemonAddress.js';
import { EXIT_NOT_SERVED } from './frames.js';
import { startDaemon } from './startDaemon.js';

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

async function serve(argv: string[]): Promise<number> {
  const address = daemonAddress(packageDir);
  if (!address) return EXIT_NOT_SERVED;
  const stdoutIsTTY = isatty(1);
  const stderrIsTTY = isatty(2);
  const answer = await askDaemon(address.socket, {
    kind: 'run',
    argv,
    cwd: process.cwd(),
    env: process.env as Record<string, string>,
    umask: process.umask(),
    stdoutIsTTY,
    stderrIsTTY,
    ...(stdoutIsTTY || stderrIsTTY ? { columns: (stdoutIsTTY ? process.stdout : process.stderr).columns } : {}),
  });
  if (answer.kind === 'exit') return answer.code;
  if (answer.kind === 'unreachable') {
    await startDaemon(packageDir, address);
    return EXIT_NOT_SERVED;
  }
  process.stderr.write('idp: the idp daemon stopped while running this command; run it again (IDP_DAEMON=0 runs idp without it)\n');
  return 1;
}

serve(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = EXIT_NOT_SERVED;
  },
);
