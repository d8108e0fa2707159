// Spellings that break PharmaOne's id grammar (src/upstream/upstream-ids.ts): the one table of
// hostile ids that the id-argument tests (test/hardening/upstream-ids.test.ts) and the `_entities`
// key-field cases (malformed-representations.ts) send, so both sweep the same class.
export const HOSTILE_IDS: Array<[string, string]> = [
  ['dot', '.'],
  ['dot-dot', '..'],
  ['encoded dot-dot', '%2e%2e'],
  ['slash', 'a/b'],
  ['climbing', '../org2'],
  ['query', '?x='],
  ['fragment', '#'],
  ['empty', ''],
  ['space', 'org 1'],
  ['leading dash', '-org1'],
  ['leading space', ' org1'],
  ['unicode', 'örg1'],
  ['fullwidth dot', '．．'],
  ['backslash', 'a\\b'],
  ['NUL', 'a\u0000b'],
  ['65 characters', 'a'.repeat(65)],
  ['10 KB', 'x'.repeat(10 * 1024)],
];
