// An esbuild plugin: inside the bundle, nunjitsu parses each distinct template source once. Its
// parseTemplate is a pure function of the source and the parse options, and returns a deeply
// frozen AST (every node and array Object.freeze'd), so handing the same AST to later renders
// renders the same bytes; what changes is only that a source seen before is not scanned again.
// The startup snapshot (docs/adr/0013) is built after a warm-up render, so the packaged templates'
// ASTs start in memory. The build fails if nunjitsu no longer has the function this wraps.
import { readFile } from 'node:fs/promises';

const DECLARATION = 'function parseTemplate(source, options = {';

export const nunjitsuParseOnce = {
  name: 'nunjitsu-parse-once',
  setup(build) {
    build.onLoad({ filter: /[\\/]nunjitsu[\\/]dist[\\/]index\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf-8');
      if (text.split(DECLARATION).length !== 2) {
        throw new Error(`nunjitsu-parse-once: ${args.path} no longer declares "${DECLARATION}" exactly once; revisit the plugin`);
      }
      const memoised = `
// Added by platform/cli/scripts/nunjitsuParseOnce.mjs: one parse per distinct source and options.
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
`;
      return { contents: text.replace(DECLARATION, 'function parseTemplateEachTime(source, options = {') + memoised, loader: 'js' };
    });
  },
};
