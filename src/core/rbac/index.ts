// The RBAC evaluator: pure, shared by the cluster view, the CLI, the manifest rules and troubleshooting.
export type {
  Binding,
  ObjectRef,
  PolicyRule,
  RbacObjects,
  RequestAttributes,
  Role,
  RoleRef,
  Scope,
  ServiceAccountRef,
  Subject,
  UserInfo,
} from './types';
export { CLUSTER_SCOPE } from './types';
export { bindingFrom, emptyRbacObjects, rbacInputFrom, roleFrom, type ParsedRbacInput } from './objects';
export { ruleAllows } from './match';
export { aggregatedRules, labelSelectorMatches, withAggregatedRules } from './aggregation';
export {
  serviceAccountsGroupPrefix,
  serviceAccountUser,
  serviceAccountUsername,
  splitServiceAccountUsername,
  subjectUsername,
  type Via,
} from './subjects';
export {
  bindingRef,
  describeGrantSource,
  NO_RULE_GRANTS_IT,
  RbacIndex,
  type AppliedBinding,
  type Decision,
  type Grant,
  type RbacIndexOptions,
} from './evaluate';
export { bindingRisks, CLUSTER_ADMIN_ROLE, POD_CREATING_RESOURCES, scopeText, type Risk, type RiskCode } from './risks';
export {
  accountKey,
  bindingsFor,
  canI,
  permissionsOf,
  tokenObtainers,
  tokenRisks,
  whoCan,
  type RbacSource,
  type ScopedRule,
  type ServiceAccountPermissions,
  type TokenObtainer,
  type WhoCanEntry,
} from './permissions';
export {
  attributesOf,
  builtInResources,
  describeAttributes,
  parseQuestion,
  QuestionError,
  type ResourceResolver,
} from './attributes';
export { scaffoldGrant } from './scaffold';
export { BUILT_IN_CLUSTER_ROLES } from './builtins';
