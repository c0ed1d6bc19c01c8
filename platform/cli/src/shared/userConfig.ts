import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidInputError, type Problem } from '@idp/service-spec';
import { CONTRACT_ENV_VAR, DEFAULT_CONTRACT_FILE, defaultTemplatesLocation, isGitUrl, parseYaml, TEMPLATES_ENV_VAR } from '@idp/scaffold';

/** The settings a person keeps between runs: in the user config file, or in the environment. */
export const SETTINGS = {
  contract: { env: CONTRACT_ENV_VAR, flag: '--contract', help: 'the platform contract file' },
  templates: { env: TEMPLATES_ENV_VAR, flag: '--templates', help: 'where templates come from: a git URL, a repository or a folder' },
  githubUrl: { env: 'IDP_GITHUB_URL', flag: '--github-url', help: 'the GitHub REST API base URL' },
  backstageUrl: { env: 'IDP_BACKSTAGE_URL', flag: '--backstage-url', help: 'the Backstage the catalog lives in' },
} as const;
export type SettingName = keyof typeof SETTINGS;
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** One setting's value and where it came from, as `idp config` shows it. */
export interface Setting {
  readonly value: string | undefined;
  /** `env IDP_…`, `config <file>`, `default` or `unset`. */
  readonly source: string;
}

export interface UserConfig {
  /** $XDG_CONFIG_HOME/idp/config.yaml, else ~/.config/idp/config.yaml. */
  readonly file: string;
  readonly fileFound: boolean;
  /** What the file sets (paths resolved against the file's folder, ~ expanded). */
  readonly fromFile: Partial<Record<SettingName, string>>;
}

/** The user config file's path under the XDG base directory rules. */
export function userConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homeOf(env), '.config');
  return path.join(base, 'idp', 'config.yaml');
}

/** Reads the user config file; a missing file is an empty config, a malformed one is invalid input. */
export function readUserConfig(env: NodeJS.ProcessEnv = process.env): UserConfig {
  const file = userConfigFile(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf-8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, fileFound: false, fromFile: {} };
    throw new Error(`Cannot read the idp config file ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (error) {
    throw new InvalidInputError(`The idp config file ${file}`, [
      {
        field: file,
        message: `must be YAML, but ${(error as Error).message.split('\n')[0]} (e.g. templates: https://github.com/acme/idp.git)`,
      },
    ]);
  }
  return { file, fileFound: true, fromFile: validate(data, file, env) };
}

const EXAMPLES: Record<SettingName, string> = {
  contract: 'contract: ~/platform/contract.yaml',
  templates: 'templates: https://github.com/acme/idp.git',
  githubUrl: 'githubUrl: https://ghe.example.com/api/v3',
  backstageUrl: 'backstageUrl: https://backstage.example.com',
};

function validate(data: unknown, file: string, env: NodeJS.ProcessEnv): Partial<Record<SettingName, string>> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InvalidInputError(`The idp config file ${file}`, [
      { field: file, message: `must be a mapping of settings (${SETTING_NAMES.join(', ')}), e.g. ${EXAMPLES.templates}` },
    ]);
  }
  const problems: Problem[] = [];
  const settings: Partial<Record<SettingName, string>> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!(SETTING_NAMES as string[]).includes(key)) {
      problems.push({ field: key, message: `is not an idp setting: use one of ${SETTING_NAMES.join(', ')} (e.g. ${EXAMPLES.templates})` });
      continue;
    }
    const name = key as SettingName;
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push({ field: key, message: `must be non-empty text (e.g. ${EXAMPLES[name]})` });
      continue;
    }
    if ((name === 'githubUrl' || name === 'backstageUrl') && !isHttpUrl(value)) {
      problems.push({ field: key, message: `must be an http(s) URL, but is ${JSON.stringify(value)} (e.g. ${EXAMPLES[name]})` });
      continue;
    }
    settings[name] = name === 'contract' || (name === 'templates' && !isGitUrl(value)) ? localPath(value, file, env) : value;
  }
  if (problems.length) throw new InvalidInputError(`The idp config file ${file}`, problems);
  return settings;
}

/**
 * Every setting with its origin: the environment wins over the config file, which wins over the
 * default (a flag on the command line wins over all three).
 */
export function resolveSettings(config: UserConfig, env: NodeJS.ProcessEnv = process.env): Record<SettingName, Setting> {
  const defaults: Record<SettingName, string | undefined> = {
    contract: DEFAULT_CONTRACT_FILE,
    templates: path.resolve(defaultTemplatesLocation({})),
    githubUrl: undefined,
    backstageUrl: undefined,
  };
  const settings = {} as Record<SettingName, Setting>;
  for (const name of SETTING_NAMES) {
    const fromEnv = env[SETTINGS[name].env];
    const fromFile = config.fromFile[name];
    settings[name] = fromEnv
      ? { value: fromEnv, source: `env ${SETTINGS[name].env}` }
      : fromFile
        ? { value: fromFile, source: `config ${config.file}` }
        : defaults[name]
          ? { value: defaults[name], source: 'default' }
          : { value: undefined, source: 'unset' };
  }
  return settings;
}

function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || os.homedir();
}

function localPath(value: string, file: string, env: NodeJS.ProcessEnv): string {
  if (value === '~' || value.startsWith('~/')) return path.join(homeOf(env), value.slice(1));
  return path.resolve(path.dirname(file), value);
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol, host } = new URL(value);
    return (protocol === 'http:' || protocol === 'https:') && host !== '';
  } catch {
    return false;
  }
}
