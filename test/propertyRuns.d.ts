/** The fixed seed of every property test in `npm test`. */
export declare const FIXED_SEED: number;
/** Parameters for `fc.assert` and `fc.sample`: a fixed seed in `npm test`, fresh ones and more runs in `npm run fuzz`. */
export declare function propertyRuns(numRuns: number): { numRuns: number; seed: number };
/** The seed of this run: FIXED_SEED, or the fuzz run's FC_SEED. */
export declare function propertySeed(): number;
