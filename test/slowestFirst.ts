import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The test files that take longest, slowest first (wall seconds each, measured alone with the suite's
 * two workers: 69, 53, 37, 37, 29, 27, 24, 24, 24, 15, 15, 13, 12). Vitest starts the files it has
 * timed before longest first, but a clean clone (CI, a new contributor) has no timings, and then it
 * starts the largest files first: service-pytest.test.ts, small and slow, started 258 s into a 315 s
 * run and ran alone at the end. The list is only an order: a file missing from it runs as vitest
 * orders it, and slowestFirst.test.ts checks that every listed file exists.
 */
export const SLOWEST_FILES = [
  'platform/github/test/faults.test.ts',
  'templates/model-service/test/service-pytest.test.ts',
  'templates/model-service/test/delivery-manifests.test.ts',
  'platform/cli/test/upgrade.e2e.test.ts',
  'platform/cli/test/upgradeKill.e2e.test.ts',
  'platform/cli/test/installedCli.e2e.test.ts',
  'platform/github/test/fleet.test.ts',
  'platform/scaffold/src/upgrade/threeWayUpgrade.property.test.ts',
  'platform/cli/test/fleet.e2e.test.ts',
  'platform/cli/test/kill.e2e.test.ts',
  'platform/cli/test/hostileInput.e2e.test.ts',
  'templates/llm-service/test/delivery-manifests.test.ts',
  'platform/cli/test/idp.e2e.test.ts',
];

/** Vitest's own order (its timings when it has them), with the SLOWEST_FILES first, in their order. */
export class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = SLOWEST_FILES.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
      return index === -1 ? SLOWEST_FILES.length : index;
    };
    // Array.prototype.sort is stable: the files not listed keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
