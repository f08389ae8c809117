// rbac_all_accounts_vs_list_ratio: bindings, rules and risks for every ServiceAccount of the large data (~20,000
// bindings, 10,000 accounts at scale 1) with the core evaluator, over the time to list the RBAC objects (and the
// accounts) from the local API server with the product's own client. Both wall time, interleaved, in this process.
import { permissionsOf, RbacIndex } from '../../src/core/rbac/index';
import { connect } from '../../src/kube/index';
import { ms, type BenchContext, type MetricResult } from '../lib/result';
import { interleave, summarize } from '../lib/stats';

export const RBAC_KEY = 'rbac_all_accounts_vs_list_ratio';
const TARGET = { atMost: 0.5 };

/** Measured against the local API server (large data) whose kubeconfig is `kubeconfigPath`. */
export async function measureRbac(context: BenchContext, kubeconfigPath: string): Promise<MetricResult> {
  const connection = await connect({ kubeconfigPath, timeoutMs: 120_000 });
  try {
    const snapshot = await connection.rbacSnapshot();
    if (snapshot.errors.length) throw new Error(`listing failed: ${snapshot.errors[0].reason}`);
    const { objects, serviceAccounts } = snapshot;
    const bindings = objects.roleBindings.length + objects.clusterRoleBindings.length;
    context.log(`rbac: ${bindings} bindings, ${serviceAccounts.length} ServiceAccounts`);
    let counted = { bindings: 0, rules: 0, risks: 0 };
    const evaluateAll = () => {
      // Objects never indexed before, as after a refresh: nothing from the last run is warm (not even V8's string
      // hashes). Copied before the clock starts.
      const fresh = structuredClone({ objects, serviceAccounts });
      const started = performance.now();
      const index = new RbacIndex(fresh.objects);
      counted = { bindings: 0, rules: 0, risks: 0 };
      for (const account of fresh.serviceAccounts) {
        const permissions = permissionsOf(account, index);
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
}
