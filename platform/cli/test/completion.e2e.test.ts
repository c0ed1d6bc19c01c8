import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDP_BIN, REPO_ROOT, runIdp } from './runIdp.js';

// Each shell runs the script `idp completion <shell>` prints, with `idp` on PATH (the repository's),
// and answers what <TAB> would offer at the end of a command line.
const scratch = mkdtempSync(path.join(tmpdir(), 'idp-completion-'));
const bin = path.join(scratch, 'bin');
const scripts: Record<string, string> = {};
const has = (shell: string) => spawnSync(shell, ['-c', 'true']).status === 0;
const env = () => ({ ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, HOME: scratch, XDG_CONFIG_HOME: scratch });

beforeAll(() => {
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'idp'), `#!/bin/sh\nexec '${process.execPath}' '${IDP_BIN}' "$@"\n`);
  chmodSync(path.join(bin, 'idp'), 0o755);
  for (const shell of ['bash', 'zsh', 'fish']) {
    const printed = runIdp(['completion', shell]);
    expect(printed.status, printed.stderr).toBe(0);
    scripts[shell] = path.join(scratch, `idp.${shell}`);
    writeFileSync(scripts[shell], printed.stdout);
  }
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function shell(command: string, args: string[], input: string): string {
  const result = spawnSync(command, args, { input, env: env(), cwd: scratch, encoding: 'utf-8' });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * bash: COMP_LINE/COMP_POINT as bash sets them, COMP_WORDS split the way bash splits (at blanks
 * and at "="), then the function complete -p names; one candidate per line.
 */
function bash(line: string): string[] {
  const words = line.split(/\s+/).flatMap((word) => word.split(/(=)/).filter(Boolean));
  if (/\s$/.test(line)) words.push('');
  const driver = [
    `source '${scripts.bash}'`,
    `COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}`,
    `COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}`,
    `fn=$(complete -p idp | sed -E 's/.*-F ([^ ]+).*/\\1/'); "$fn"`,
    `printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join('\n');
  return shell('bash', ['--norc', '--noprofile'], driver).split('\n').filter(Boolean);
}

/** zsh: the completion function with compadd and _files standing in for the completion system. */
function zsh(words: string[]): string[] {
  const driver = [
    'compdef() { : }',
    `source '${scripts.zsh}'`,
    // compadd offers what starts with the word under the cursor, as zsh's matcher does.
    'compadd() { while [[ "$1" != -- ]]; do shift; done; shift; local c; for c in "$@"; do [[ "$c" == "${words[CURRENT]}"* ]] && print -r -- "$c"; done }',
    '_files() { print -r -- "(files $*)" }',
    `words=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}`,
    '_idp',
    'true',
  ].join('\n');
  return shell('zsh', ['-f'], driver).split('\n').filter(Boolean);
}

/** fish: `complete -C` prints what fish itself would offer. */
function fish(line: string): string[] {
  return shell('fish', ['--no-config', '-c', `source '${scripts.fish}'; complete -C ${JSON.stringify(line)}`], '')
    .split('\n')
    .filter(Boolean)
    .map((candidate) => candidate.split('\t')[0]!);
}

describe('idp completion bash', () => {
  it('is a function bash registers for idp', () => {
    expect(shell('bash', ['--norc', '--noprofile'], `source '${scripts.bash}'; complete -p idp`)).toMatch(/complete -F _idp idp/);
  });

  it('offers commands, subcommands and each command’s flags', () => {
    expect(bash('idp ')).toEqual(
      expect.arrayContaining(['new', 'templates', 'publish', 'upgrade', 'fleet', 'config', 'doctor', 'completion']),
    );
    expect(bash('idp te')).toEqual(['templates']);
    expect(bash('idp fleet ')).toEqual(['status', 'upgrade']);
    expect(bash('idp new model-service x --d')).toEqual(['--dry-run']);
    expect(bash('idp fleet status --co')).toEqual(['--contract', '--concurrency']);
    expect(bash('idp completion ')).toEqual(['bash', 'zsh', 'fish']);
  });

  it('offers template names, then --set fields and their allowed values', () => {
    expect(bash('idp new ')).toEqual(['llm-service', 'model-service']);
    expect(bash('idp new model-service x --set gpu')).toEqual(['gpuType=', 'gpuCount=']);
    // bash replaces only the part after "=": the candidates are the values.
    expect(bash('idp new model-service x --set gpuType=nvidia-a')).toEqual(['nvidia-a10g', 'nvidia-a100']);
    expect(bash('idp upgrade --set minRep')).toEqual(['minReplicas=']);
    // Any template's own parameters, typed by its form: here a corpus template named by its folder.
    const corpus = path.join(REPO_ROOT, 'test/fixtures/backstage-templates/step-conditions');
    expect(bash(`idp new ${corpus} x --set inc`)).toEqual(['includeProd=']);
    expect(bash(`idp new ${corpus} x --set includeProd=f`)).toEqual(['false']);
    expect(bash(`idp new ${corpus} x --set gpu`)).toEqual([]);
  });

  it('offers files for --values and directories for --out', () => {
    mkdirSync(path.join(scratch, 'answers-dir'), { recursive: true });
    writeFileSync(path.join(scratch, 'answers.yaml'), 'name: x\n');
    expect(bash('idp new model-service x --values answ')).toEqual(expect.arrayContaining(['answers.yaml', 'answers-dir']));
    expect(bash('idp new model-service x --out answ')).toEqual(['answers-dir']);
  });
});

describe.skipIf(!has('zsh'))('idp completion zsh', () => {
  it('offers commands, flags, template names, --set fields and values', () => {
    expect(zsh(['idp', ''])).toEqual(expect.arrayContaining(['new', 'doctor', 'completion']));
    expect(zsh(['idp', 'fleet', 'status', '--co'])).toEqual(['--contract', '--concurrency']);
    expect(zsh(['idp', 'new', ''])).toEqual(['llm-service', 'model-service']);
    expect(zsh(['idp', 'new', 'model-service', 'x', '--set', 'gpuC'])).toEqual(['gpuCount=']);
    expect(zsh(['idp', 'new', 'model-service', 'x', '--set', 'gpuType=nvidia-h'])).toEqual(['gpuType=nvidia-h100']);
    expect(zsh(['idp', 'new', 'model-service', 'x', '--values', ''])).toEqual(['(files )']);
  });
});

describe.skipIf(!has('fish'))('idp completion fish', () => {
  it('offers commands, flags, template names, --set fields and values', () => {
    expect(fish('idp ')).toEqual(expect.arrayContaining(['new', 'doctor', 'completion']));
    expect(fish('idp fleet ')).toEqual(['status', 'upgrade']);
    expect(fish('idp new ')).toEqual(['llm-service', 'model-service']);
    expect(fish('idp new model-service x --set gpuT')).toEqual(['gpuType=']);
    expect(fish('idp new model-service x --set gpuType=nvidia-t')).toEqual(['gpuType=nvidia-t4']);
  });
});
