// The settings as the code reads them and as package.json declares them must agree: every key, its type, its
// default; and the defaults that are Kubernetes facts must be the core's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  DEFAULT_PROJECTED_EXPIRATION_SECONDS,
  MAX_TOKEN_EXPIRATION_SECONDS,
  MIN_TOKEN_EXPIRATION_SECONDS,
  SERVICE_ACCOUNT_MOUNT_PATH,
} from '../../../../src/core/kubernetes';
import type { SettingSchema } from '../../../../src/features/shared/settingChecks';
import {
  CONFIG_SECTION,
  configFrom,
  type SettingSource,
  type SettingType,
} from '../../../../src/features/shared/settingValues';

const declared: Record<string, SettingSchema & { type: SettingType }> = JSON.parse(
  readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'),
).contributes.configuration.properties;
const declaredKey = (key: string) => `${CONFIG_SECTION}.${key}`;

/** Settings as VS Code gives them with nothing set: package.json's defaults, plus `set` on top. */
function source(set: Record<string, unknown> = {}): SettingSource {
  return {
    value: (key) => (key in set ? set[key] : declared[declaredKey(key)]?.default),
    schema: (key) => declared[declaredKey(key)],
  };
}

test('readConfig reads every declared setting, and only those, as the type package.json declares', () => {
  const reads = new Map<string, SettingType>();
  configFrom(source(), [], (key, type) => reads.set(declaredKey(key), type));
  assert.deepEqual([...reads.keys()].sort(), Object.keys(declared).sort());
  for (const [key, type] of reads) assert.equal(type, declared[key]!.type, key);
});

test("every declared default is of its declared type, so reading never replaces package.json's default", () => {
  const problems: string[] = [];
  const read = configFrom(source(), problems);
  assert.deepEqual(problems, []);
  const viaDefaults = configFrom({ value: () => undefined, schema: source().schema });
  assert.deepEqual(read, viaDefaults);
  assert.equal(read.fix.mountPath, declared[declaredKey('fix.mountPath')]!.default);
  assert.equal(read.cluster.requestTimeoutMs, 1000 * Number(declared[declaredKey('requestTimeoutSeconds')]!.default));
});

test('a value of the wrong type (a hand-edited or hostile settings file) reads as the default, and says so', () => {
  const problems: string[] = [];
  const config = configFrom(
    source({ 'hover.enabled': 'yes', 'fix.expirationSeconds': 1.5, namespaces: [1], rules: 'off' }),
    problems,
  );
  assert.equal(problems.length, 4);
  assert.match(problems[0]!, /^Setting saToken\.hover\.enabled is ignored: expected true or false\. Using true\.$/);
  assert.equal(config.hoverEnabled, true);
  assert.equal(config.fix.expirationSeconds, declared[declaredKey('fix.expirationSeconds')]!.default);
  assert.deepEqual(config.cluster.namespaces, []);
  assert.deepEqual(config.rules, {});
});

test('defaults and bounds that are Kubernetes facts come from core/kubernetes.ts', () => {
  const expiration = declared[declaredKey('fix.expirationSeconds')]!;
  assert.equal(declared[declaredKey('fix.mountPath')]!.default, SERVICE_ACCOUNT_MOUNT_PATH);
  assert.equal(expiration.default, DEFAULT_PROJECTED_EXPIRATION_SECONDS);
  assert.equal(expiration.minimum, MIN_TOKEN_EXPIRATION_SECONDS);
  assert.equal(expiration.maximum, MAX_TOKEN_EXPIRATION_SECONDS);
});

test("a pattern's own message ends its sentence once (no '..' before 'Using')", () => {
  const problems: string[] = [];
  configFrom(source({ 'fix.mountPath': 'relative/path' }), problems);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /^Setting saToken\.fix\.mountPath is ignored: An absolute path .*mountPath\)\. Using "/);
  assert.doesNotMatch(problems[0]!, /\.\./);
});
