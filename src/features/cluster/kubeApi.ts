// The lazily loaded kube module's types (src/kube/index.ts → dist/kube.js). Type-only: importing this file never
// loads @kubernetes/client-node; at run time the module is reached through loadKube().
import type { KubeModule } from '../../kubeLoader';

export type { ClusterConnection, ContextSummary, ObjectKind } from '../../kube/index';

/** The entry points the session uses (a narrow type so tests can pass a fake). */
export type KubeEntryPoints = Pick<KubeModule, 'connect' | 'listContexts'>;
