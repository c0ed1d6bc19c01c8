import type { Command } from 'commander';
import { bashCompletion } from './bashCompletion.js';
import { completionSpec } from './completionSpec.js';
import { fishCompletion } from './fishCompletion.js';
import { zshCompletion } from './zshCompletion.js';

const RENDERERS = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion };

/** The completion script of one shell for the command tree of `program`. */
export function completionScript(shell: keyof typeof RENDERERS, program: Command): string {
  return RENDERERS[shell](completionSpec(program));
}
