// Programmatic entry point: start a local Kubernetes API server in-process (tests, benchmarks, `npm run cluster`).
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminUser, developerUser, viewerUser, type UserInfo } from './auth';
import { Cluster } from './cluster';
import { loadDemoData } from './data/demo';
import { loadLargeData } from './data/large';
import type { FaultMode } from './faults';
import { writeKubeconfig } from './kubeconfig';
import { createCertificateAuthority, createServingCertificate } from './pki';
import { startApiServer } from './server';
import type { ObjectStore } from './store';

export { faultModes, isFaultMode, type FaultMode } from './faults';
export { adminContext, developerContext, viewerContext } from './kubeconfig';
export { issuer } from './tokens';

export type DataSet = 'empty' | 'demo' | 'large';

export interface LocalClusterOptions {
  /** Where to write the kubeconfig; a fresh temporary file when absent. */
  kubeconfigPath?: string;
  /** 0 or absent: a free port. */
  port?: number;
  data?: DataSet;
  /** Size factor of the `large` data set (1 = 2,000 namespaces, 10,000 SAs and token Secrets, 30,000 pods). */
  scale?: number;
  fault?: FaultMode | null;
  /** Write a kubeconfig whose CA did not sign the server certificate. */
  wrongCa?: boolean;
  tokenControllerDelayMs?: number;
  /** `--legacy-service-account-token-clean-up-period` in seconds (default one year). */
  legacyTokenCleanUpPeriodSeconds?: number;
  /** `--round-trip-ms`: each request answered this much later, like a remote API server (see server.ts). */
  roundTripMs?: number;
  /** The tracking ConfigMap's `since` (YYYY-MM-DD); demo: 2023-05-01, else today. */
  legacyTokenTrackingSince?: string;
}

export interface LocalCluster {
  port: number;
  url: string;
  kubeconfigPath: string;
  caPem: string;
  /** The kubeconfig users' bearer tokens, for tests that call the API directly. */
  tokens: { admin: string; viewer: string; developer: string };
  store: ObjectStore;
  cluster: Cluster;
  /** The HTTPS server, for tests that watch which requests arrive ('request' events). */
  httpServer: Server;
  setFault(mode: FaultMode | null): void;
  stop(): Promise<void>;
}

const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const ca = await createCertificateAuthority();
  const tls = await createServingCertificate(ca);
  const cluster = new Cluster({
    caPem: ca.certPem,
    tokenControllerDelayMs: options.tokenControllerDelayMs,
    legacyTokenCleanUpPeriodSeconds: options.legacyTokenCleanUpPeriodSeconds,
    // kube-controller-manager syncs the cleaner daily; hourly keeps a long-running demo server honest.
    legacyTokenCleanerIntervalMs: 3600_000,
  });
  for (const name of systemNamespaces) await cluster.create('namespaces', '', { metadata: { name } });
  cluster.ensureLegacyTokenTracking(
    options.legacyTokenTrackingSince ?? (options.data === 'demo' ? '2023-05-01' : undefined),
  );
  if (options.data === 'demo') await loadDemoData(cluster);
  if (options.data === 'large') loadLargeData(cluster, options.scale ?? 1);
  cluster.fault = options.fault ?? null;

  const secret = () => randomBytes(32).toString('base64url');
  const tokens = { admin: secret(), viewer: secret(), developer: secret() };
  const users = new Map<string, UserInfo>([
    [tokens.admin, adminUser],
    [tokens.viewer, viewerUser],
    [tokens.developer, developerUser],
  ]);
  const api = await startApiServer({ cluster, tls, users, port: options.port, roundTripMs: options.roundTripMs });
  const kubeconfigPath = options.kubeconfigPath ?? join(mkdtempSync(join(tmpdir(), 'sa-demo-')), 'kubeconfig');
  const kubeconfigCa = options.wrongCa ? (await createCertificateAuthority('sa-demo-wrong-ca')).certPem : ca.certPem;
  await writeKubeconfig(kubeconfigPath, {
    server: api.url,
    caPem: kubeconfigCa,
    adminToken: tokens.admin,
    viewerToken: tokens.viewer,
    developerToken: tokens.developer,
  });

  return {
    port: api.port,
    url: api.url,
    kubeconfigPath,
    caPem: ca.certPem,
    tokens,
    store: cluster.store,
    cluster,
    httpServer: api.server,
    setFault: (mode) => {
      cluster.fault = mode;
    },
    stop: () => api.close(),
  };
}
