/** What a command about one service starts with: the baseline compiler only, no helper threads. */
export declare const SHORT_COMMAND_V8_FLAGS: string[];
/** The commands that keep V8's defaults. */
export declare const LONG_COMMANDS: string[];
/** The V8 flags for `idp ARGS`. */
export declare function v8StartFlags(args: readonly string[]): string[];
