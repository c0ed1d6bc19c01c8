import { ownerSpellings } from './ownerSpellings';

describe('ownerSpellings', () => {
  it('lists every spelling of a group in the default namespace', () => {
    expect(ownerSpellings('group:default/ml-team')).toEqual(['group:default/ml-team', 'group:ml-team', 'default/ml-team', 'ml-team']);
  });

  it('keeps the namespace of a group elsewhere', () => {
    expect(ownerSpellings('group:research/vision')).toEqual(['group:research/vision', 'research/vision']);
  });

  it('never spells a user without its kind (a bare name is a group)', () => {
    expect(ownerSpellings('user:default/ada')).toEqual(['user:default/ada', 'user:ada']);
  });
});
