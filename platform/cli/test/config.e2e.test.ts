import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runIdp, TEMPLATES_DIR } from './runIdp.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'idp-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh XDG config folder with this config.yaml (or none). */
function configHome(yaml?: string): string {
  const dir = mkdtempSync(path.join(scratch, 'xdg-'));
  if (yaml !== undefined) {
    mkdirSync(path.join(dir, 'idp'));
    writeFileSync(path.join(dir, 'idp', 'config.yaml'), yaml);
  }
  return dir;
}

const noIdpVariables = { IDP_PLATFORM_CONTRACT: '', IDP_TEMPLATES_DIR: '', IDP_GITHUB_URL: '', IDP_BACKSTAGE_URL: '' };

describe('idp config and the user config file', () => {
  it('shows each setting and where it came from: default, config file, environment', () => {
    const xdg = configHome('backstageUrl: https://backstage.example.com\ncontract: ./contract.yaml\n');
    const shown = runIdp(['config', '--json'], {
      env: { ...noIdpVariables, XDG_CONFIG_HOME: xdg, IDP_GITHUB_URL: 'https://ghe.example.com/api/v3' },
    });
    expect(shown.status, shown.stderr).toBe(0);
    const file = path.join(xdg, 'idp', 'config.yaml');
    expect(JSON.parse(shown.stdout)).toMatchObject({
      ok: true,
      file,
      fileFound: true,
      settings: {
        contract: { value: path.join(xdg, 'idp', 'contract.yaml'), source: `config ${file}` },
        templates: { value: TEMPLATES_DIR.replace(/\/$/, ''), source: 'default' },
        githubUrl: { value: 'https://ghe.example.com/api/v3', source: 'env IDP_GITHUB_URL' },
        backstageUrl: { value: 'https://backstage.example.com', source: `config ${file}` },
      },
    });
    const human = runIdp(['config'], { env: { ...noIdpVariables, XDG_CONFIG_HOME: xdg } });
    expect(human.stdout).toMatch(/^backstageUrl\s+https:\/\/backstage\.example\.com\s+\[config .*config\.yaml\]$/m);
    expect(human.stdout).toContain(`config file  ${file}`);
  });

  it('finds the file under ~/.config without XDG_CONFIG_HOME', () => {
    const home = mkdtempSync(path.join(scratch, 'home-'));
    const shown = runIdp(['config', '--json'], { env: { ...noIdpVariables, XDG_CONFIG_HOME: '', HOME: home } });
    expect(JSON.parse(shown.stdout)).toMatchObject({ file: path.join(home, '.config/idp/config.yaml'), fileFound: false });
  });

  it('gives idp new its templates and contract, which a flag or the environment still override', () => {
    const templates = path.join(scratch, 'my-templates');
    cpSync(path.join(TEMPLATES_DIR, 'model-service'), path.join(templates, 'model-service'), { recursive: true });
    const contract = path.join(scratch, 'contract.yaml');
    writeFileSync(
      contract,
      readFileSync(path.join(REPO_ROOT, 'platform/contracts/default.yaml'), 'utf-8').replace('org: acme', 'org: configured-org'),
    );
    const xdg = configHome(`templates: ${templates}\ncontract: ${contract}\n`);
    const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      runIdp(['new', 'model-service', 'svc', '--yes', '--dry-run', '--json', ...args], {
        env: { ...noIdpVariables, XDG_CONFIG_HOME: xdg, ...env },
      });

    const fromConfig = JSON.parse(run([]).stdout);
    expect(fromConfig.template.source.repository).toBe(templates);
    expect(fromConfig.outputs.validate.spec.repoUrl).toContain('owner=configured-org');

    const fromFlag = JSON.parse(
      run(['--templates', TEMPLATES_DIR, '--contract', path.join(REPO_ROOT, 'platform/contracts/default.yaml')]).stdout,
    );
    expect(fromFlag.template.source.repository).toBe(REPO_ROOT.replace(/\/$/, ''));
    expect(fromFlag.outputs.validate.spec.repoUrl).toContain('owner=acme');

    const fromEnv = JSON.parse(run([], { IDP_PLATFORM_CONTRACT: path.join(REPO_ROOT, 'platform/contracts/default.yaml') }).stdout);
    expect(fromEnv.outputs.validate.spec.repoUrl).toContain('owner=acme');
  });

  it('rejects a malformed config file naming the setting, the rule and an example (exit 2)', () => {
    const xdg = configHome('templates: [not, text]\ngithubUrl: ghe.example.com\ncolour: blue\n');
    const run = runIdp(['new', 'model-service', 'svc', '--yes', '--dry-run'], { env: { ...noIdpVariables, XDG_CONFIG_HOME: xdg } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('templates: must be non-empty text (e.g. templates: https://github.com/acme/idp.git)');
    expect(run.stderr).toContain(
      'githubUrl: must be an http(s) URL, but is "ghe.example.com" (e.g. githubUrl: https://ghe.example.com/api/v3)',
    );
    expect(run.stderr).toContain('colour: is not an idp setting: use one of contract, templates, githubUrl, backstageUrl');
    const json = runIdp(['config', '--json'], { env: { ...noIdpVariables, XDG_CONFIG_HOME: configHome(': : :') } });
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, exitCode: 2 });
  });
});
