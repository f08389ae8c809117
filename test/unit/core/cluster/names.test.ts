import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suggestedTokenSecretName, validateObjectName } from '../../../../src/core/cluster/names';

// Kubernetes' own cases: staging/src/k8s.io/apimachinery/pkg/util/validation/validation_test.go TestIsDNS1123Subdomain.
const GOOD = [
  'a',
  'ab',
  'abc',
  'a1',
  'a-1',
  'a--1--2--b',
  '0',
  '01',
  '012',
  '1a',
  '1-a',
  '1--a--b--2',
  'a.a',
  'ab.a',
  'abc.a',
  'a1.a',
  'a-1.a',
  'a--1--2--b.a',
  'a.1',
  'ab.1',
  'abc.1',
  'a1.1',
  'a-1.1',
  'a--1--2--b.1',
  '0.a',
  '01.a',
  '012.a',
  '1a.a',
  '1-a.a',
  '1--a--b--2',
  '0.1',
  '01.1',
  '012.1',
  '1a.1',
  '1-a.1',
  '1--a--b--2.1',
  'a.b.c.d.e',
  'aa.bb.cc.dd.ee',
  '1.2.3.4.5',
  '11.22.33.44.55',
  'a'.repeat(253),
];
const BAD = [
  '',
  'A',
  'ABC',
  'aBc',
  'A1',
  'A-1',
  '1-A',
  '-',
  'a-',
  '-a',
  '1-',
  '-1',
  '_',
  'a_',
  '_a',
  'a_b',
  '1_',
  '_1',
  '1_2',
  '.',
  'a.',
  '.a',
  'a..b',
  '1.',
  '.1',
  '1..2',
  'a b',
  '1 2',
  'A.a',
  'aB.a',
  'ab.A',
  'A1.a',
  'a1.A',
  'A.1',
  'aB.1',
  'A1.1',
  '1A.1',
  '0.A',
  '01.A',
  '012.A',
  '1A.a',
  '1a.A',
  'A.B.C.D.E',
  'AA.BB.CC.DD.EE',
  'a.B.c.d.e',
  'aa.bB.cc.dd.ee',
  'a@b',
  'a,b',
  'a;b',
  'a:b',
  'a%b',
  'a?b',
  'a$b',
  'a'.repeat(254),
];

test('validateObjectName accepts exactly the DNS subdomains Kubernetes accepts (its own test cases)', () => {
  for (const name of GOOD) assert.equal(validateObjectName(name), undefined, name);
  for (const name of BAD) assert.ok(validateObjectName(name), JSON.stringify(name));
  assert.equal(validateObjectName(' web-0 '), undefined, 'surrounding blanks are trimmed, as a typed answer');
  assert.match(validateObjectName('a'.repeat(254))!, /at most 253 characters \(this one 254\)/);
  assert.match(validateObjectName('a..b')!, /DNS subdomain/);
});

test('suggestedTokenSecretName: <sa>-token, numbered when the view knows that name, always valid', () => {
  const account = { name: 'builder', tokenSecrets: [], secretsList: [] };
  assert.equal(suggestedTokenSecretName(account), 'builder-token');
  const taken = {
    ...account,
    tokenSecrets: [{ name: 'builder-token' }] as never,
    secretsList: ['builder-token-2'],
  };
  assert.equal(suggestedTokenSecretName(taken), 'builder-token-3');
  const long = suggestedTokenSecretName({ ...account, name: `${'a'.repeat(240)}.b-c` });
  assert.equal(validateObjectName(long), undefined);
  assert.ok(long.endsWith('-token') && long.length <= 253, long);
  const cutAtDash = suggestedTokenSecretName({ ...account, name: `${'a'.repeat(246)}-b` });
  assert.equal(validateObjectName(cutAtDash), undefined, cutAtDash);
});
