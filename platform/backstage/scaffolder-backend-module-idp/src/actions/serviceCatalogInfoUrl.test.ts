import { serviceCatalogInfoUrl } from './serviceCatalogInfoUrl';

const allowed = { org: 'acme', hosts: ['github.com', '127.0.0.1:7008'] };

describe('serviceCatalogInfoUrl', () => {
  it.each([
    ['https://github.com/acme/fraud-detector/blob/main', 'https://github.com/acme/fraud-detector/blob/main/catalog-info.yaml'],
    ['https://GitHub.com/Acme/fraud-detector/blob/release/1.x', 'https://github.com/Acme/fraud-detector/blob/release/1.x/catalog-info.yaml'],
    ['http://127.0.0.1:7008/acme/fraud-detector/blob/main', 'http://127.0.0.1:7008/acme/fraud-detector/blob/main/catalog-info.yaml'],
  ])('places catalog-info.yaml at the root of %s', (input, expected) => {
    expect(serviceCatalogInfoUrl(input, allowed)).toBe(expected);
  });

  it.each([
    ['another organisation', 'https://github.com/other/fraud-detector/blob/main', /organisation acme/],
    ['another host', 'https://gitlab.com/acme/fraud-detector/blob/main', /integration host \(github\.com, 127\.0\.0\.1:7008\)/],
    ['credentials in the URL', 'https://x:y@github.com/acme/fraud-detector/blob/main', /integration host/],
    ['a query', 'https://github.com/acme/fraud-detector/blob/main?path=evil', /integration host/],
    ['no branch', 'https://github.com/acme/fraud-detector', /organisation acme/],
    ['a tree URL', 'https://github.com/acme/fraud-detector/tree/main', /organisation acme/],
    ['an escape from the repository', 'https://github.com/acme/fraud-detector/blob/%2e%2e/other', /organisation acme/],
    ['not a URL', 'acme/fraud-detector', /must be a URL/],
  ])('refuses %s, naming the field, the rule and an example', (_what, input, rule) => {
    expect(() => serviceCatalogInfoUrl(input, allowed)).toThrow(rule);
    expect(() => serviceCatalogInfoUrl(input, allowed)).toThrow(/^repoContentsUrl: .*e\.g\. https:\/\/github\.com\/acme\/fraud-detector\/blob\/main/);
  });
});
