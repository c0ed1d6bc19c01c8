export { startGithubEmulator, DEFAULT_EMULATOR_TOKEN, type GithubEmulator, type GithubEmulatorOptions } from './server.js';
export { API_PREFIX } from './routes/index.js';
export type { EmulatedApp } from './auth.js';
export type { RecordedRequest } from './requestLog.js';
export type { RepoSnapshot } from './snapshot.js';
export type { FaultKind, FaultRule } from './faults.js';
