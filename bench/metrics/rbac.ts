// rbac_all_accounts_vs_list_ratio: bindings, rules and risks for every ServiceAccount of the large data (~20,000
// bindings, 10,000 accounts at scale 1) with the core evaluator, over the time to list the RBAC objects (and the
// accounts) from the local API server with the product's own client. Both wall time, interleaved, in this process.
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { serverMissing, startLargeCluster } from '../lib/cluster';
import { firstLine, importIfPresent } from '../lib/optional';
import { ms, pending, type BenchContext, type MetricResult } from '../lib/result';
import { interleave, summarize } from '../lib/stats';
import type * as Rbac from '../../src/core/rbac/index';
import type * as Kube from '../../src/kube/index';

export const RBAC_KEY = 'rbac_all_accounts_vs_list_ratio';
const TARGET = { atMost: 0.5 };

export async function measureRbac(context: BenchContext, scale: number): Promise<MetricResult> {
  const rbac = await importIfPresent<typeof Rbac>(context.repoRoot, 'src/core/rbac/index.ts', ['permissionsOf']);
  if ('missing' in rbac) return pending(RBAC_KEY, TARGET, rbac.missing);
  const kube = await importIfPresent<typeof Kube>(context.repoRoot, 'src/kube/index.ts', ['connect']);
  if ('missing' in kube) return pending(RBAC_KEY, TARGET, kube.missing);
  const missing = serverMissing(context.repoRoot);
  if (missing) return pending(RBAC_KEY, TARGET, missing);
  const scratch = mkdtempSync(join(tmpdir(), 'sa-bench-rbac-'));
  try {
    const cluster = await startLargeCluster(context.repoRoot, join(scratch, 'kubeconfig'), scale, 180_000).catch(
      (error: unknown) => firstLine(error),
    );
    if (typeof cluster === 'string') return pending(RBAC_KEY, TARGET, cluster);
    try {
      const connection = await kube.module.connect({ kubeconfigPath: cluster.kubeconfigPath, timeoutMs: 120_000 });
      try {
        const snapshot = await connection.rbacSnapshot();
        if (snapshot.errors.length) throw new Error(`listing failed: ${snapshot.errors[0].reason}`);
        const { objects, serviceAccounts } = snapshot;
        const bindings = objects.roleBindings.length + objects.clusterRoleBindings.length;
        context.log(`rbac: ${bindings} bindings, ${serviceAccounts.length} ServiceAccounts`);
        let counted = { bindings: 0, rules: 0, risks: 0 };
        const evaluateAll = () => {
          const started = performance.now();
          const index = new rbac.module.RbacIndex(objects);
          counted = { bindings: 0, rules: 0, risks: 0 };
          for (const account of serviceAccounts) {
            const permissions = rbac.module.permissionsOf(account, index);
            counted.bindings += permissions.bindings.length;
            counted.rules += permissions.rules.length;
            counted.risks += permissions.risks.length;
          }
          return performance.now() - started;
        };
        const listAll = async () => {
          const started = performance.now();
          const listed = await connection.rbacSnapshot();
          const elapsed = performance.now() - started;
          // A failed list is fast and would flatter the ratio: it must fail the measurement instead.
          if (listed.errors.length) throw new Error(`listing failed: ${listed.errors[0].reason}`);
          return elapsed;
        };
        const samples = await interleave(
          { evaluate: evaluateAll, list: listAll },
          { reps: context.quick ? 3 : 5, warmup: 1 },
        );
        const evaluate = summarize(samples.evaluate);
        const list = summarize(samples.list);
        return {
          key: RBAC_KEY,
          value: evaluate.median / list.median,
          target: TARGET,
          absolute: `median ${ms(evaluate.median)} to evaluate ${serviceAccounts.length} accounts vs ${ms(list.median)} to list ${bindings} bindings, roles and accounts`,
          details: {
            bindings,
            serviceAccounts: serviceAccounts.length,
            found: counted,
            evaluateMs: evaluate,
            listMs: list,
          },
          invalid: counted.risks > 0 ? undefined : 'no risk found in data built to contain some',
        };
      } finally {
        connection.close();
      }
    } finally {
      await cluster.stop();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
