import { describe, expect, it } from 'vitest';
import { serviceNameProblems } from './serviceNameProblems';

describe('serviceNameProblems', () => {
  it('accepts a name the CLI accepts', () => {
    expect(serviceNameProblems('fraud-detector')).toEqual([]);
  });

  it('refuses what the JSON Schema pattern refuses, with the spec message and an example', () => {
    const [problem] = serviceNameProblems('Fraud_Detector');
    expect(problem).toMatch(/^must be a DNS-1035 label/);
    expect(problem).toContain('(e.g. fraud-detector)');
  });

  it('refuses what no pattern can: a name whose Python package is a keyword', () => {
    expect(serviceNameProblems('import')).toEqual([
      'must give a usable Python package, but its Python package "import" would be a Python keyword (e.g. import-service)',
    ]);
  });

  it('names only the name, even though the other fields are left out', () => {
    expect(serviceNameProblems('')).toHaveLength(1);
  });
});
