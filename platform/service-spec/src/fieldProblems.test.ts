import { describe, expect, it } from 'vitest';
import { fieldProblems } from './fieldProblems.js';

describe('fieldProblems', () => {
  it('accepts a valid field whatever the other fields are', () => {
    expect(fieldProblems('name', 'fraud-detector')).toEqual([]);
    expect(fieldProblems('name', 'fraud-detector', { gpuType: 'not-a-gpu' })).toEqual([]);
  });

  it("gives the field's own rule with an example", () => {
    const [problem] = fieldProblems('name', 'Fraud_Detector');
    expect(problem).toMatch(/^must be a DNS-1035 label/);
    expect(problem).toContain('(e.g. fraud-detector)');
  });

  it('gives rules no pattern can state: a name whose Python package is a keyword', () => {
    expect(fieldProblems('name', 'import')).toEqual([
      'must give a usable Python package, but its Python package "import" would be a Python keyword (e.g. import-service)',
    ]);
  });

  it('applies the cross-field rules that name the field, with the answers given so far', () => {
    expect(fieldProblems('maxReplicas', 1, { minReplicas: 3 })).not.toEqual([]);
    expect(fieldProblems('maxReplicas', 5, { minReplicas: 3 })).toEqual([]);
  });

  it('ignores keys the spec does not know (a form holds more than the spec)', () => {
    expect(fieldProblems('name', 'fraud-detector', { platform: {}, somethingElse: 1 })).toEqual([]);
  });
});
