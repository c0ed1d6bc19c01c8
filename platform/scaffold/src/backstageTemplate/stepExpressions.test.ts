import { describe, expect, it } from 'vitest';
import { isTruthy, stepExpressions } from './stepExpressions.js';

describe("step inputs, evaluated as the scaffolder's workflow runner evaluates them", () => {
  const expressions = stepExpressions();
  const context = expressions.prepare({ parameters: { n: 3, s: 'x', list: ['a', 'b'], obj: { k: true }, no: false }, steps: {} });
  const render = (value: unknown) => expressions.render(value, context);

  it('keeps the JSON type of a string that is one expression, and renders text around expressions as text', () => {
    expect(render('${{ parameters.n }}')).toBe(3);
    expect(render('${{ parameters.obj }}')).toEqual({ k: true });
    expect(render('${{ parameters.list }}')).toEqual(['a', 'b']);
    expect(render('${{ parameters.no }}')).toBe(false);
    expect(render(' ${{ parameters.n }}')).toBe(' 3');
    expect(render('n=${{ parameters.n }}')).toBe('n=3');
  });

  it('renders every string in nested inputs, keys untouched', () => {
    expect(render({ '${{ parameters.s }}': ['${{ parameters.n }}', { deep: '${{ parameters.s | upper }}' }], plain: 7 })).toEqual({
      '${{ parameters.s }}': [3, { deep: 'X' }],
      plain: 7,
    });
  });

  it('drops a key whose value renders to nothing, and leaves an expression that fails as written', () => {
    expect(render({ gone: '${{ parameters.missing }}', kept: 1 })).toEqual({ kept: 1 });
    expect(render({ broken: '${{ parameters.n + }}' })).toEqual({ broken: '${{ parameters.n + }}' });
    expect(render(['${{ parameters.missing }}', 'b'])).toEqual([undefined, 'b']);
  });

  it('has the filters and the status functions a step may use', () => {
    expect(render("${{ 'github.com?owner=o&repo=r' | projectSlug }}")).toBe('o/r');
    expect(render("${{ 'group:t/n' | parseEntityRef | pick('namespace') }}")).toBe('t');
    expect(render('${{ always() }}')).toBe(true);
    expect(render('${{ failure() }}')).toBe(false);
  });

  it('treats an empty list as false in if:', () => {
    expect([[], [0], '', 'x', 0, 1, null, {}].map(isTruthy)).toEqual([false, true, false, true, false, true, false, true]);
  });
});
