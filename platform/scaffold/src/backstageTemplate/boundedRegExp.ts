import vm from 'node:vm';

/**
 * How long one template `pattern` may take on one value. Patterns come with templates from
 * anywhere, and a backtracking one (`(a+)+$`) takes minutes on forty characters: a browser tab
 * can be closed, a terminal must answer. Honest patterns take microseconds.
 */
export const PATTERN_TIME_LIMIT_MS = 1000;

// Node interrupts a script in a context when its timeout passes, a regular expression included.
// Both are made on first use: the installed CLI's startup snapshot holds no vm objects.
let context: vm.Context | undefined;
let testScript: vm.Script | undefined;
/** Pattern and value pairs that ran out of time once: not run again (the form asks several times). */
const exhausted = new Set<string>();
/** Patterns that ran out of time since the form last asked (takePatternTimeouts). */
let timedOut = new Set<string>();

/**
 * ajv's `code.regExp` engine: each `pattern` of a template's JSON Schema tested under a time limit.
 * A pattern out of time does not match (validation goes on with the other fields) and is
 * remembered, so the form names its parameters and says why (takePatternTimeouts).
 */
export function boundedRegExp(pattern: string, flags: string): { test(text: string): boolean; toString(): string } {
  const regexp = new RegExp(pattern, flags);
  const key = `/${pattern}/${flags}`;
  return {
    test(text: string): boolean {
      if (exhausted.has(`${key}\0${text}`)) return outOfTime(pattern);
      context ??= vm.createContext({});
      testScript ??= new vm.Script('regexp.test(text)');
      context.regexp = regexp;
      context.text = text;
      try {
        return testScript.runInContext(context, { timeout: PATTERN_TIME_LIMIT_MS }) as boolean;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
        exhausted.add(`${key}\0${text}`);
        return outOfTime(pattern);
      } finally {
        context.text = undefined;
      }
    },
    // ajv keeps one compiled pattern per distinct toString().
    toString: () => key,
  };
}
// For ajv's standalone code (unused here): how the generated code would reach this engine.
boundedRegExp.code = 'require("@idp/scaffold").boundedRegExp';

function outOfTime(pattern: string): false {
  timedOut.add(pattern);
  return false;
}

/** The patterns that ran out of time since the last call. */
export function takePatternTimeouts(): string[] {
  const patterns = [...timedOut];
  timedOut = new Set();
  return patterns;
}
