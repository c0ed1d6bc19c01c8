import { parseEntityRef as backstageParseEntityRef } from '@backstage/catalog-model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OWNER_REF_PATTERN, parseEntityRef, splitEntityRef } from './entityRef.js';
import { propertyRuns } from '../../../test/propertyRuns.js';

/** Runs both functions; they must return equal values or both throw the same message. */
function sameBehaviour(ours: () => unknown, theirs: () => unknown) {
  const run = (f: () => unknown) => {
    try {
      return { value: f() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  expect(run(ours)).toEqual(run(theirs));
}

const refChars = fc.constantFrom('a', 'B', '1', '-', '_', '.', ':', '/', '');
const refString = fc.array(refChars, { maxLength: 12 }).map((parts) => parts.join(''));

describe('parseEntityRef', () => {
  it('behaves as catalog-model parseEntityRef on generated references and contexts', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          refString,
          fc.record({
            kind: fc.option(refString, { nil: undefined }),
            namespace: fc.option(refString, { nil: undefined }),
            name: refString,
          }),
        ),
        fc.option(
          fc.record({ defaultKind: fc.option(refString, { nil: undefined }), defaultNamespace: fc.option(refString, { nil: undefined }) }),
          { nil: undefined },
        ),
        (ref, context) =>
          sameBehaviour(
            () => parseEntityRef(ref as never, context),
            () => backstageParseEntityRef(ref as never, context),
          ),
      ),
      propertyRuns(3000),
    );
  });
});

describe('splitEntityRef', () => {
  it('splits an owner reference with Backstage defaults, its kind in lower case', () => {
    expect(splitEntityRef('ml-team', 'group')).toEqual({ kind: 'group', namespace: 'default', name: 'ml-team' });
    expect(splitEntityRef('user:jane.doe', 'group')).toEqual({ kind: 'user', namespace: 'default', name: 'jane.doe' });
    expect(splitEntityRef('Group:platform/ML_Team', 'group')).toEqual({ kind: 'group', namespace: 'platform', name: 'ML_Team' });
  });

  it('agrees with catalog-model on every owner reference the spec accepts', () => {
    fc.assert(
      fc.property(fc.stringMatching(new RegExp(OWNER_REF_PATTERN)), (ref) => {
        const theirs = backstageParseEntityRef(ref, { defaultKind: 'group' });
        expect(splitEntityRef(ref, 'group')).toEqual({ ...theirs, kind: theirs.kind.toLowerCase() });
      }),
      propertyRuns(1000),
    );
  });
});
