import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '@idp/service-spec';
import { TemplateError } from '../index.js';
import { Workspace } from './workspace.js';
import { workspacePath } from './workspacePath.js';

const file = (path: string, text: string, mode = 0o644, exactMode?: boolean) =>
  ({ kind: 'file', path, content: Buffer.from(text), mode, ...(exactMode ? { exactMode } : {}) }) as const;

describe('the in-memory workspace', () => {
  it('knows a path exists when anything was written at or under it', () => {
    const workspace = new Workspace();
    workspace.write(file('a/b/c.txt', 'x'));
    expect(['', 'a', 'a/b', 'a/b/c.txt'].map((p) => workspace.exists(p))).toEqual([true, true, true, true]);
    expect(['b', 'a/b/c', 'a/b/c.txt/d'].map((p) => workspace.exists(p))).toEqual([false, false, false]);
  });

  it("keeps an overwritten text file's mode (writeFile's mode applies to new files), while a copy sets its own", () => {
    const workspace = new Workspace();
    workspace.write(file('run.sh', 'one', 0o755));
    workspace.write(file('run.sh', 'two', 0o644));
    expect(workspace.entries()).toEqual([{ ...file('run.sh', 'two', 0o755) }]);
    workspace.write(file('run.sh', 'three', 0o600, true));
    expect(workspace.entries()).toEqual([{ ...file('run.sh', 'three', 0o600, true) }]);
  });

  it('refuses a file where a directory is and a path through a file', () => {
    const workspace = new Workspace();
    workspace.write(file('dir/x', '1'));
    expect(() => workspace.write(file('dir', '2'))).toThrow(TemplateError);
    expect(() => workspace.write(file('dir/x/y', '3'))).toThrow(/dir\/x is a file/);
    expect(() => workspace.write({ kind: 'dir', path: 'dir/x' })).toThrow(/a file is already there/);
  });
});

describe('workspace paths (resolveSafeChildPath)', () => {
  it('normalises paths inside the workspace', () => {
    expect(['./', '.', 'a/', './a/../b/', 'a//b'].map((p) => workspacePath(p, 'targetPath'))).toEqual(['', '', 'a', 'b', 'a/b']);
  });

  it('refuses a path outside, or whose relative form starts with ".." as Backstage does', () => {
    for (const target of ['..', '../x', 'a/../../x', '/etc', '/workspace/x', '..hidden', 'a\0b']) {
      expect(() => workspacePath(target, 'targetPath'), target).toThrow(InvalidInputError);
    }
  });
});
