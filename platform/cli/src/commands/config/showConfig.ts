import { redactUrlCredentials } from '@idp/scaffold';
import type { Reporter } from '../../shared/reporter.js';
import { readUserConfig, resolveSettings, SETTING_NAMES, SETTINGS } from '../../shared/userConfig.js';

/** `idp config`: each setting, its value and where it came from; the config file and whether it exists. */
export function showConfig(reporter: Reporter): void {
  const config = readUserConfig();
  // A URL set with a user and password is shown without them: this output gets pasted into tickets.
  const settings = Object.fromEntries(
    Object.entries(resolveSettings(config)).map(([name, setting]) => [
      name,
      setting.value === undefined ? setting : { ...setting, value: redactUrlCredentials(setting.value) },
    ]),
  ) as ReturnType<typeof resolveSettings>;
  if (!reporter.json) {
    const width = Math.max(...SETTING_NAMES.map((name) => name.length));
    const lines = SETTING_NAMES.map((name) => {
      const { value, source } = settings[name];
      const shown = value ?? `(not set: ${SETTINGS[name].env} or ${name}: in the config file)`;
      return `${name.padEnd(width)}  ${shown}  [${source}]`;
    });
    lines.push('', `config file  ${config.file}${config.fileFound ? '' : ' (not found)'}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  reporter.result({
    ok: true,
    file: config.file,
    fileFound: config.fileFound,
    settings: Object.fromEntries(SETTING_NAMES.map((name) => [name, { ...settings[name], env: SETTINGS[name].env }])),
  });
}
