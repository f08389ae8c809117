// The manifest as the Marketplace reads it. `vsce package` itself must warn about nothing: scripts/package.ts fails
// on any WARNING line, and every integration and e2e run packages the extension.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  version: string;
  repository: { type: string; url: string };
  bugs: { url: string };
  homepage: string;
  categories: string[];
  keywords: string[];
};

test('repository, bugs and homepage name the same GitHub repository', () => {
  const repository = /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+?(?=\.git$)/.exec(manifest.repository.url)?.[0];
  assert.ok(repository, `repository.url is a GitHub clone URL: ${manifest.repository.url}`);
  assert.equal(manifest.repository.type, 'git');
  assert.equal(manifest.bugs.url, `${repository}/issues`);
  assert.equal(manifest.homepage, `${repository}#readme`);
});

test('categories are Marketplace categories; keywords fit its limit of 30 and say Kubernetes', () => {
  const known = ['Linters', 'Programming Languages', 'Visualization', 'Testing', 'Other'];
  for (const category of manifest.categories) assert.ok(known.includes(category), category);
  assert.ok(manifest.keywords.length <= 30);
  assert.equal(new Set(manifest.keywords).size, manifest.keywords.length, 'no keyword twice');
  for (const word of ['kubernetes', 'service account', 'jwt', 'kubeconfig'])
    assert.ok(manifest.keywords.includes(word));
});

test('the CHANGELOG has a section for the version in package.json', () => {
  const changelog = readFileSync('CHANGELOG.md', 'utf8');
  assert.match(changelog, new RegExp(`^## ${manifest.version.replaceAll('.', '\\.')}\\b`, 'm'));
});

test("the README's images exist in the repository (vsce links them there by the repository URL); contributor notes live in CONTRIBUTING.md", () => {
  const readme = readFileSync('README.md', 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
  assert.ok(images.length >= 4, 'the screenshots');
  for (const image of images) assert.ok(/^media\/[\w./-]+\.(png|svg)$/.test(image) && existsSync(image), image);
  assert.match(readFileSync('CONTRIBUTING.md', 'utf8'), /npm test/);
});
