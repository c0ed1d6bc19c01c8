import { z } from 'zod';

// Printable text: letters, marks, digits, punctuation, symbols and spaces, plus the zero-width
// joiners some scripts and emoji need. Everything else is refused: control characters (ESC and NUL
// reached README.md raw), format characters (bidi overrides hide what text says), line and paragraph
// separators, private-use and unassigned code points, and lone UTF-16 surrogates, which are no
// character at all and make pyproject.toml invalid. JSON Schema patterns are ECMAScript regexes
// compiled with the `u` flag (ajv, jsonschema), so the form checks the same class.
const PRINTABLE_CLASS = '\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}\\p{Zs}\\u200C\\u200D';

/** The pattern of printable text (see PRINTABLE_CLASS), for fields without a grammar of their own. */
export const PRINTABLE_TEXT_PATTERN = `^[${PRINTABLE_CLASS}]*$`;

const NOT_PRINTABLE = new RegExp(`[^${PRINTABLE_CLASS}]`, 'u');

/** The first character of `text` that is not printable, described for a person; undefined if none. */
export function unprintableCharacter(text: string): string | undefined {
  const match = NOT_PRINTABLE.exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0)!;
  const position = [...text.slice(0, match.index)].length + 1;
  const what = code >= 0xd800 && code <= 0xdfff ? 'half of a UTF-16 surrogate pair, which is no character' : 'not a printable character';
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} (${what}) at character ${position}`;
}

export interface FreeTextOptions {
  /** The field's own rule, e.g. "must be an s3://, gs://, hf:// or file:// URI". */
  rule: string;
  /** A valid value, quoted in every message. */
  example: string;
  /**
   * A stricter pattern for text with a grammar (URIs). It must admit only printable text; the
   * property tests check that for every field.
   */
  grammar?: string;
}

/**
 * The one rule for text a person types freely: printable Unicode scalar values only, and, for
 * text with a grammar, that grammar. A rejection names the offending character and its position.
 * Every free-text field of the spec and the platform contract is built with it.
 */
export function freeText({ rule, example, grammar }: FreeTextOptions) {
  return z
    .string({ error: (issue) => `${issue.input === undefined ? 'is required' : 'must be text'} (e.g. ${example})` })
    .regex(new RegExp(grammar ?? PRINTABLE_TEXT_PATTERN, 'u'), {
      error: (issue) => {
        const bad = unprintableCharacter(String(issue.input));
        if (bad)
          return `must be printable text (letters, digits, punctuation, symbols and spaces on one line), but has ${bad} (e.g. ${example})`;
        return `${rule} (e.g. ${example})`;
      },
    });
}
