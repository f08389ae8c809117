// kubectl is the oracle for `sa-token can-i`: for every ServiceAccount of the demo data and a grid of verbs,
// resources and namespaces, the CLI (the bundle users run) agrees with `kubectl auth can-i --as=system:serviceaccount:…`.
// `--local` answers from the listed RBAC objects with the product's evaluator, while kubectl goes through
// impersonation and the server's own authorizer: two implementations, each checked against Kubernetes' test tables.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildCli, runCli } from '../unit/reliability/cli';
import { startLocalCluster, type LocalCluster } from './server/index';
import { kubectl } from './kubectl';

let cluster: LocalCluster;
let cli: string;

before(async () => {
  [cluster, cli] = await Promise.all([startLocalCluster({ data: 'demo' }), buildCli()]);
});
after(() => cluster.stop());

interface Question {
  account: string;
  verb: string;
  resource: string;
  namespace: string;
}

/** Runs the tasks `width` at a time (each is a child process). */
async function pooled<T>(tasks: Array<() => Promise<T>>, width = 4): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]();
      }
    }),
  );
  return results;
}

/** Per account: reads and writes in its own namespace, another namespace and cluster scope (all-namespaces lists). */
function grid(accounts: string[]): Question[] {
  const questions: Question[] = [];
  for (const account of accounts) {
    const own = account.split('/')[0];
    const other = own === 'legacy-app' ? 'modern-app' : 'legacy-app';
    const ask = (verb: string, resource: string, namespace: string) =>
      questions.push({ account, verb, resource, namespace });
    ask('get', 'secrets', own);
    ask('list', 'secrets', own);
    ask('list', 'pods', own);
    ask('create', 'pods', own);
    ask('create', 'serviceaccounts/token', own);
    ask('get', 'configmaps', other);
    ask('list', 'pods', other);
    ask('list', 'secrets', '');
    ask('list', 'endpoints', '');
  }
  return questions;
}

const scope = (namespace: string) => (namespace ? ['-n', namespace] : ['-A']);
/** `kubectl auth can-i` for the question, impersonating its ServiceAccount. */
function askKubectl(question: Question) {
  const [namespace, name] = question.account.split('/');
  return kubectl(cluster.kubeconfigPath, [
    'auth',
    'can-i',
    question.verb,
    ...kubectlTarget(question.resource),
    ...scope(question.namespace),
    `--as=system:serviceaccount:${namespace}:${name}`,
  ]);
}

/** `sa-token can-i` (the bundle) for the question. */
const askCli = (question: Question, mode: '--local' | '--json') =>
  runCli(
    cli,
    ['can-i', question.verb, question.resource, ...scope(question.namespace), '--as-sa', question.account, mode],
    { env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath } },
  );

/** kubectl reads TYPE/NAME where we read RESOURCE/SUBRESOURCE: it takes subresources as --subresource. */
const kubectlTarget = (resource: string) => {
  const [base, subresource] = resource.split('/');
  return subresource ? [base, '--subresource', subresource] : [base];
};

describe('sa-token can-i agrees with kubectl auth can-i --as', () => {
  it('for every ServiceAccount of the demo data', async () => {
    const listed = await kubectl(cluster.kubeconfigPath, ['get', 'serviceaccounts', '-A', '-o', 'json']);
    const accounts = (JSON.parse(listed.stdout).items as Array<{ metadata: { namespace: string; name: string } }>).map(
      ({ metadata }) => `${metadata.namespace}/${metadata.name}`,
    );
    assert.ok(accounts.length >= 15, `demo accounts: ${accounts.join(', ')}`);
    const questions = grid(accounts);
    const answers = await pooled(
      questions.map((question) => async () => {
        const [oracle, ours] = await Promise.all([askKubectl(question), askCli(question, '--local')]);
        return { question, oracle, ours };
      }),
    );
    const disagreements = answers.filter(
      ({ oracle, ours }) => oracle.stdout.trim() !== ours.stdout.trim() || oracle.code !== ours.status,
    );
    assert.deepEqual(
      disagreements.map(({ question, oracle, ours }) => ({
        ...question,
        kubectl: oracle.stdout.trim() || oracle.stderr,
        saToken: ours.stdout.trim() || ours.stderr,
      })),
      [],
    );
    // The grid is worth something only if both answers occur.
    const yes = answers.filter(({ oracle }) => oracle.stdout.trim() === 'yes').length;
    assert.ok(yes > 10 && yes < answers.length - 10, `yes ${yes} of ${answers.length}`);
  });

  it('the default mode asks the API server (SubjectAccessReview) and agrees too', async () => {
    const questions = grid(['legacy-app/reporter', 'modern-app/web', 'custom-audience/vault-client']);
    for (const question of questions.slice(0, 9)) {
      const oracle = await askKubectl(question);
      const ours = await askCli(question, '--json');
      const answer = JSON.parse(ours.stdout) as { allowed: boolean; source: string };
      assert.equal(answer.source, 'subjectaccessreview');
      assert.equal(answer.allowed, oracle.stdout.trim() === 'yes', JSON.stringify(question));
    }
  });
});
