// `npm run portal`: the portal for local use. Starts the local GitHub emulator (unless
// IDP_PORTAL_GITHUB=github.com) and points the portal's GitHub integration at it, so creating a
// service from the form publishes a real repository offline; then runs the backend, which serves
// the app, until Ctrl-C.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const backstageDir = fileURLToPath(new URL('..', import.meta.url));
const dataDir = path.resolve(backstageDir, '../../.portal-data');
const useRealGithub = process.env.IDP_PORTAL_GITHUB === 'github.com';

const configs = ['../app-config.yaml'];
let emulator;
if (!useRealGithub) {
  const { startGithubEmulator } = await import('@idp/github-emulator');
  const port = Number(process.env.IDP_GITHUB_EMULATOR_PORT ?? 7008);
  emulator = await startGithubEmulator({ port, orgs: [{ login: 'acme', teams: ['ml-team', 'platform-team'] }] });
  // github.com (the host the template's RepoUrlPicker allows and the contract names) and the
  // emulator's own host (which its clone URLs use) both go to the emulator's API.
  const integration = (host) => ({ host, apiBaseUrl: emulator.apiBaseUrl, token: emulator.token });
  await mkdir(dataDir, { recursive: true });
  const overlay = path.join(dataDir, 'app-config.local-github.json');
  await writeFile(overlay, JSON.stringify({ integrations: { github: [integration('github.com'), integration(emulator.host)] } }, null, 2));
  configs.push(overlay);
  console.log(`Local GitHub emulator on ${emulator.url} (repositories the portal creates live there; token ${emulator.token}).`);
  console.log('Set IDP_PORTAL_GITHUB=github.com and GITHUB_TOKEN to publish to github.com instead.');
}

const backend = spawn('npx', ['backstage-cli', 'package', 'start', ...configs.flatMap((c) => ['--config', c])], {
  cwd: path.join(backstageDir, 'backend'),
  stdio: 'inherit',
});
const stop = (signal) => backend.kill(signal);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
backend.on('exit', async (code) => {
  await emulator?.stop();
  process.exit(code ?? 0);
});
