import type { EmulatedApp } from './auth.js';
import type { Faults } from './faults.js';
import type { OpenApiValidator } from './openapiValidator.js';
import type { RecordedRequest } from './requestLog.js';
import type { EmulatorState } from './state.js';

/** What the emulator's request handlers share: its state, its faults and its log. */
export interface EmulatorContext {
  state: EmulatorState;
  faults: Faults;
  validator: OpenApiValidator;
  /** Every request received, in order. */
  log: RecordedRequest[];
  /** Where the bare repositories live. */
  dataDir: string;
  apps: readonly EmulatedApp[];
  /** http://HOST:PORT, set once the server listens. */
  origin: string;
}
