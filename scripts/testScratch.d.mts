export declare const SCRATCH_VARIABLE: 'IDP_TEST_SCRATCH';
export declare function makeTestScratch(): string;
