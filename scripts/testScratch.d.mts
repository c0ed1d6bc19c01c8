export declare const SCRATCH_VARIABLE: 'IDP_TEST_SCRATCH';
export declare function makeTestScratch(): string;
export declare function scratchEnv(scratch: string): Record<string, string>;
