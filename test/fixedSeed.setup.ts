import fc from 'fast-check';
import { propertySeed } from './propertyRuns.js';

// A property test that names no parameters still runs on the suite's seed, never on chance.
fc.configureGlobal({ seed: propertySeed() });
