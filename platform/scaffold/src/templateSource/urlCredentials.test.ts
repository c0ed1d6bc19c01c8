import { describe, expect, it } from 'vitest';
import { redactUrlCredentials, splitUrlCredentials, withoutUrlCredentials } from './urlCredentials.js';

describe('URL credentials', () => {
  it('split off a user and password (percent-decoded), leaving the URL git and provenance use', () => {
    expect(splitUrlCredentials('https://ci-bot:p%40ss:w0rd@git.corp.example/platform/tpl.git')).toEqual({
      url: 'https://git.corp.example/platform/tpl.git',
      username: 'ci-bot',
      password: 'p@ss:w0rd',
    });
    expect(splitUrlCredentials('https://oauth2@git.corp.example/tpl.git')).toEqual({
      url: 'https://git.corp.example/tpl.git',
      username: 'oauth2',
    });
  });

  it('leave URLs without userinfo, scp-like ssh addresses and paths as they are', () => {
    for (const location of [
      'https://git.corp.example/tpl.git',
      'git@git.corp.example:platform/tpl.git',
      '/srv/templates',
      'ssh://git.corp.example/x.git',
    ])
      expect(withoutUrlCredentials(location)).toBe(location);
    // An @ in the path is not userinfo.
    expect(withoutUrlCredentials('https://host/org/repo@v1.git')).toBe('https://host/org/repo@v1.git');
  });

  it('redact the userinfo of every URL in a message, and given secrets wherever they stand', () => {
    const text = "fatal: could not read from 'https://bot:s3cr3t-Zq@host/a.git' or http://u:v@h:8080/api/v3/user; token s3cr3t-Zq";
    expect(redactUrlCredentials(text, ['s3cr3t-Zq'])).toBe(
      "fatal: could not read from 'https://***@host/a.git' or http://***@h:8080/api/v3/user; token ***",
    );
    expect(redactUrlCredentials('git@github.com:acme/x.git')).toBe('git@github.com:acme/x.git');
  });
});
