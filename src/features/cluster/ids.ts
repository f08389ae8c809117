// Names the activation-time part of the cluster feature needs without loading its implementation (dist/cluster.js).

export const CLUSTER_VIEW_ID = 'saToken.clusters';

/** Every command of the cluster view, registered at activation; their handlers load with dist/cluster.js. */
export const CLUSTER_COMMAND_IDS = [
  'saToken.cluster.refresh',
  'saToken.cluster.switchContext',
  'saToken.cluster.filterNamespaces',
  'saToken.cluster.pickKubeconfig',
  'saToken.cluster.createTokenSecret',
  'saToken.cluster.requestToken',
  'saToken.cluster.decodeToken',
  'saToken.cluster.copyToken',
  'saToken.cluster.deleteTokenSecret',
  'saToken.cluster.openYaml',
  'saToken.cluster.open',
  'saToken.cluster.removeSecretReference',
  'saToken.cluster.checkToken',
  'saToken.whatCanThisTokenDo',
  'saToken.cluster.canI',
  'saToken.cluster.whoCan',
  'saToken.cluster.whoCanGetToken',
  'saToken.cluster.generateKubeconfig',
  'saToken.diagnose',
  'saToken.diagnose.applyFix',
  'saToken.upgradeReadinessReport',
  'saToken.upgradeReadinessReport.follow',
] as const;

export type ClusterCommandId = (typeof CLUSTER_COMMAND_IDS)[number];

/** A command handler; its arguments come from menus (a tree node) or callers answering prompts up front. */
export type ClusterCommandHandler = (...args: never[]) => unknown;
