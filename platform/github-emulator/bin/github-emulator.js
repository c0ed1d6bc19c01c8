#!/usr/bin/env node
// Runs the local GitHub Enterprise emulator until interrupted: `npm run github-emulator` (builds
// first). PORT (default 3456), EMULATOR_ORG (acme), EMULATOR_TEAMS (ml-team) and
// EMULATOR_TOKEN (emulator-token) configure it.

const HELP = `Usage: github-emulator [--help]

Runs a local GitHub Enterprise Server for tests and offline trials until interrupted (Ctrl-C):
the REST calls idp publish, idp fleet and Backstage make, under /api/v3, and real git over HTTP.
Every request is checked against GitHub's OpenAPI description; on exit, any that did not match
are listed and the exit code is 1.

Environment:
  PORT             the port to listen on (default 3456; 0 picks a free one)
  EMULATOR_ORG     the organisation it holds (default acme)
  EMULATOR_TEAMS   that organisation's teams, comma-separated (default ml-team)
  EMULATOR_TOKEN   the token it accepts, with the repo, admin:org and workflow scopes (default emulator-token)

Example:
  PORT=3456 npm run github-emulator
  GITHUB_TOKEN=emulator-token idp publish ./fraud-detector --github-url http://127.0.0.1:3456/api/v3
`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(HELP);
  process.exit(0);
}
if (args.length) {
  process.stderr.write(
    `github-emulator takes no arguments but --help, but was given ${args.join(' ')}: configure it through the environment\n\n${HELP}`,
  );
  process.exit(2);
}

// Imported only to serve: --help needs no build.
const { startGithubEmulator } = await import('../dist/index.js');
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
