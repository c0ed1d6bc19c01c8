import path from 'node:path';
import type { TemplateDefinition, TemplateRender } from '@idp/scaffold';
import type { Reporter } from '../../shared/reporter.js';
import { reportStepsNotRun } from './reportStepsNotRun.js';

/** What `idp new` says when the run is written (or would be): the files, the steps left to the portal, the JSON result. */
export function reportCreated(
  definition: TemplateDefinition,
  render: TemplateRender,
  targetDir: string,
  dryRun: boolean,
  reporter: Reporter,
) {
  for (const warning of render.warnings) reporter.info(`Note: ${warning}`);
  const files = render.entries.filter((e) => e.kind !== 'dir').map((e) => e.path);
  const count = `${files.length} file${files.length === 1 ? '' : 's'}`;
  const name = typeof render.parameters.name === 'string' ? render.parameters.name : path.basename(targetDir);
  if (dryRun) {
    reporter.info(files.map((f) => `  would write ${f}`).join('\n'));
    reporter.done(`Dry run: ${count} would be written to ${targetDir}; nothing was written`);
  } else {
    reporter.done(
      `Created ${name} in ${targetDir} (${count}, from ${definition.name}${definition.version ? ` ${definition.version}` : ''})`,
    );
    reporter.info(`\nNext steps:\n  cd ${targetDir}`);
  }
  reportStepsNotRun(definition, render.notRun, targetDir, reporter);
  reporter.result({
    ok: true,
    template: { name: definition.name, version: definition.version, dir: definition.dir, source: render.provenance },
    targetDir,
    dryRun,
    files,
    parameters: render.parameters,
    // Each step's outputs, as later steps saw them; the contract is the contract file's, not repeated here.
    outputs: Object.fromEntries(Object.entries(render.outputs).map(([step, outputs]) => [step, { ...outputs, platform: undefined }])),
    skippedSteps: render.skipped,
    stepsNotRun: render.notRun,
    warnings: render.warnings,
  });
}
