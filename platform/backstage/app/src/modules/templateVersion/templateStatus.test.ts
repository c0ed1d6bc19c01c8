import { describe, expect, it } from 'vitest';
import { templateStatus } from './templateStatus';

describe('templateStatus', () => {
  it('is up to date at the newest version (or ahead of the catalog)', () => {
    expect(templateStatus('0.2.0', '0.2.0')).toEqual({ kind: 'up-to-date', version: '0.2.0' });
    expect(templateStatus('0.3.0', '0.2.0').kind).toBe('up-to-date');
  });

  it('is behind an older version, counting the releases in between', () => {
    expect(templateStatus('0.1.0', '0.3.0', ['0.1.0', '0.2.0', '0.3.0'])).toEqual({ kind: 'behind', version: '0.1.0', newest: '0.3.0', releasesBehind: 2 });
    expect(templateStatus('0.9.0', '0.10.0')).toMatchObject({ kind: 'behind', releasesBehind: 1 });
  });

  it('says why it cannot tell', () => {
    expect(templateStatus('0.1.0', undefined)).toMatchObject({ kind: 'unknown', reason: 'the template is not in the catalog' });
    expect(templateStatus('dev', '0.2.0')).toMatchObject({ kind: 'unknown' });
  });
});
