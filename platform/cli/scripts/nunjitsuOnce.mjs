// An esbuild plugin: inside the bundle, nunjitsu parses and plans each distinct template source
// once. Both are pure functions of their input that nunjitsu treats as immutable afterwards:
//  - parseTemplate(source, options) returns a deeply frozen AST (every node and array
//    Object.freeze'd), so later renders can share it;
//  - planLexicalSlots(ast, workUnits) assigns the compiler's variable slots for "one complete
//    immutable AST" (its words); the evaluator only reads the plan.
// So handing the same AST and plan to later renders renders the same bytes; what changes is only
// that a source seen before is not scanned and planned again. The startup snapshot (docs/adr/0013)
// is built after a warm-up render, so the packaged templates' ASTs and plans start in memory. The
// build fails if nunjitsu no longer has the functions this wraps.
import { readFile } from 'node:fs/promises';

const PARSE = 'function parseTemplate(source, options = {';
const PLAN = 'function planLexicalSlots(ast, maximumExpansionWork = Number.POSITIVE_INFINITY) {';

const MEMOISED = `
// Added by platform/cli/scripts/nunjitsuOnce.mjs: one parse per distinct source and options.
const idpParsedTemplates = new Map();
function parseTemplate(source, options = { trimBlocks: false, lstripBlocks: false }) {
  const key = [options.trimBlocks, options.lstripBlocks, options.cookiecutterCompat, options.astNodes, options.nestingDepth].join();
  let bySource = idpParsedTemplates.get(key);
  if (bySource === undefined) idpParsedTemplates.set(key, (bySource = new Map()));
  let ast = bySource.get(source);
  if (ast === undefined) {
    ast = parseTemplateEachTime(source, options);
    bySource.set(source, ast);
  }
  return ast;
}
// One plan per AST and work limit (a plan over the limit throws, and is not kept).
const idpPlannedTemplates = new WeakMap();
function planLexicalSlots(ast, maximumExpansionWork = Number.POSITIVE_INFINITY) {
  let byLimit = idpPlannedTemplates.get(ast);
  if (byLimit === undefined) idpPlannedTemplates.set(ast, (byLimit = new Map()));
  let plan = byLimit.get(maximumExpansionWork);
  if (plan === undefined) {
    plan = planLexicalSlotsEachTime(ast, maximumExpansionWork);
    byLimit.set(maximumExpansionWork, plan);
  }
  return plan;
}
`;

export const nunjitsuOnce = {
  name: 'nunjitsu-once',
  setup(build) {
    build.onLoad({ filter: /[\\/]nunjitsu[\\/]dist[\\/]index\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf-8');
      for (const declaration of [PARSE, PLAN]) {
        if (text.split(declaration).length !== 2) {
          throw new Error(`nunjitsu-once: ${args.path} no longer declares "${declaration}" exactly once; revisit the plugin`);
        }
      }
      const renamed = text
        .replace(PARSE, 'function parseTemplateEachTime(source, options = {')
        .replace(PLAN, 'function planLexicalSlotsEachTime(ast, maximumExpansionWork = Number.POSITIVE_INFINITY) {');
      return { contents: renamed + MEMOISED, loader: 'js' };
    });
  },
};
