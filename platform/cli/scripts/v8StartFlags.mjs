// The V8 flags an `idp` process starts with: the installed launcher (package/bin/idp, where the
// pack writes them in) and the tests that run the repository's CLI the same way take them from here.
//
// V8's optimising compilers (Maglev, TurboFan) and its helper threads pay back only in a process that
// runs for seconds. A command about one service ends within a few hundred milliseconds, and they cost
// it about a quarter of its CPU: compiling code that is about to exit, and a page-protection change
// per compiled code object. `idp fleet` renders and merges a whole fleet in one process, and keeps them.

/** What a command about one service starts with: the baseline compiler only, no helper threads. */
export const SHORT_COMMAND_V8_FLAGS = ['--max-opt=1', '--single-threaded'];

/** The commands that keep V8's defaults. */
export const LONG_COMMANDS = ['fleet'];

/**
 * The V8 flags for `idp ARGS`.
 * @param {readonly string[]} args
 * @returns {string[]}
 */
export function v8StartFlags(args) {
  return LONG_COMMANDS.includes(args[0] ?? '') ? [] : SHORT_COMMAND_V8_FLAGS;
}
