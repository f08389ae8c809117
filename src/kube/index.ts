// The only module that imports @kubernetes/client-node. Bundled separately as dist/kube.js and loaded lazily
// (src/kubeLoader.ts) by both the extension and the CLI. Everything others may use is exported here.
export type * from '../core/cluster/model';
export {
  ClusterConnection,
  connect,
  listContexts,
  type Cancellable,
  type ClusterAccess,
  type ConnectOptions,
} from './connection';
export type { ContextSummary } from './config';
export { ClusterError, isClusterError, type ClusterErrorKind } from './errors';
export type { IssuerKeys } from './issuer';
export type { DoctorSnapshot } from './doctor';
export type { LeanServiceAccount } from './lean';
export type { TokenNonResourceRule, TokenRule, TokenSelfReview } from './selfReview';
export type { ObjectKind } from './objectYaml';
export type { AccessReviewResult, ApiResource, RbacListError, RbacSnapshot } from './rbac';
export type { CreatedTokenSecret, TokenRequestOptions, TokenReviewResult } from './tokens';
export type { WatchedObjects, WatchedResource, WatchEnd, WatchEventType, WatchOptions, WatchRetry } from './watch';
