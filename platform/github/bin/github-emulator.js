#!/usr/bin/env node
// Runs the local GitHub Enterprise emulator until interrupted: `npm run github-emulator` (builds
// first). PORT (default 3456), EMULATOR_ORG (acme), EMULATOR_TEAMS (ml-team) and
// EMULATOR_TOKEN (emulator-token) configure it.
import { startGithubEmulator } from '../dist/index.js';

const token = process.env.EMULATOR_TOKEN || 'emulator-token';
const emulator = await startGithubEmulator({
  port: Number(process.env.PORT || 3456),
  orgs: [{ login: process.env.EMULATOR_ORG || 'acme', teams: (process.env.EMULATOR_TEAMS || 'ml-team').split(',').filter(Boolean) }],
  tokens: { [token]: { login: 'idp-bot', scopes: ['repo', 'admin:org', 'workflow'] } },
});
process.stdout.write(
  `GitHub emulator on ${emulator.url}\n` +
    `  apiBaseUrl: ${emulator.apiBaseUrl}\n` +
    `  host:       ${emulator.host}\n` +
    `  token:      the value of EMULATOR_TOKEN (default emulator-token)\n` +
    `  publish:    GITHUB_TOKEN=<token> idp publish DIR --github-url ${emulator.apiBaseUrl}\n`,
);
const stop = async () => {
  const violations = emulator.violations();
  if (violations.length)
    process.stderr.write(
      `${violations.length} requests did not match GitHub's OpenAPI description:\n${violations.map((v) => `  ${v.method} ${v.path}: ${v.problems.join('; ')}`).join('\n')}\n`,
    );
  await emulator.stop();
  process.exit(violations.length ? 1 : 0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
