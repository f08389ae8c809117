// The cluster layer, shared by the extension and the CLI (so: no VS Code words or imports here), and the only code
// that imports @kubernetes/client-node. Bundled separately as dist/kube.js and loaded lazily (src/kubeLoader.ts).
//
// client-node supplies what is hard to get right and must match kubectl: kubeconfig loading and merging, and
// credentials (client certificates, tokens, exec plugins, OIDC refresh) with the TLS material (config.ts, http.ts).
// The requests themselves are our own (http.ts): lists are paged and each page is reduced to the lean model as it
// arrives (lean.ts), where client-node's generated clients would build every field of every object first; watches
// stream the same way (watch.ts). Everything others may use is exported here.
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
export type { NamespaceChoice } from './inventory';
export type { LeanServiceAccount } from '../core/cluster/lean';
export type { TokenNonResourceRule, TokenRule, TokenSelfReview } from './selfReview';
export type { ObjectKind } from './objectYaml';
export type { AccessReviewResult, ApiResource, RbacListError, RbacSnapshot } from './rbac';
export type { CreatedTokenSecret, TokenRequestOptions, TokenReviewResult } from './tokens';
export type { WatchedObjects, WatchedResource, WatchEnd, WatchEventType, WatchOptions, WatchRetry } from './watch';
