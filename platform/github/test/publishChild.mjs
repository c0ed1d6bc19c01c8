// Runs one publish in its own process, so a test can kill it mid-step (SIGKILL: no clean-up runs).
// Uses the built @idp/github (npm test builds first). Token from GITHUB_TOKEN, as the CLI reads it.
import { publishService } from '@idp/github';

const [dir, githubUrl] = process.argv.slice(2);
await publishService({ dir, githubUrl, token: process.env.GITHUB_TOKEN, timing: { backoffUnitMs: 1, paceWrites: false } });
