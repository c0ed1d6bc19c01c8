import fc from 'fast-check';
import { createTemplateRenderer } from 'nunjitsu';
import { describe, expect, it } from 'vitest';
import { isPlainText } from './index.js';
import { propertyRuns } from '../../../test/propertyRuns.js';

describe('the plain-text fast path', () => {
  it('returns exactly what nunjitsu renders for text without tags', () => {
    const renderer = createTemplateRenderer({ allowRegexExecution: true });
    const context = renderer.prepareContext({ values: { name: 'x' } });
    const tricky = fc.constantFrom('{', '}', '$', '%', '#', '-', '{{', '}}', '%}', '${', '$ {{', '\n', '\r\n', ' ', '\t', 'a', 'é', '😀');
    const text = fc.oneof(
      fc.string(),
      fc.array(tricky, { maxLength: 40 }).map((parts) => parts.join('')),
    );
    let plain = 0;
    fc.assert(
      fc.property(text, (source) => {
        if (!isPlainText(source)) return;
        plain += 1;
        expect(renderer.render(source, context)).toBe(source);
      }),
      propertyRuns(20_000),
    );
    expect(plain).toBeGreaterThan(5_000);
  });

  it('still sends text with any tag opener to the engine', () => {
    for (const source of ['${{ values.name }}', '{% if true %}x{% endif %}', '{# note #}', 'stray #}'])
      expect(isPlainText(source)).toBe(false);
  });
});
