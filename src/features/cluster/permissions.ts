// Children of a ServiceAccount's Permissions node: every binding that applies (via which subject), each with the
// token-escalation risks it gives; RBAC lists the credentials may not read become "forbidden" nodes, never a broken
// tree. Pure, like nodes.ts.
import type { ServiceAccountInfo } from '../../core/cluster/model';
import { bindingRisks, permissionsOf } from '../../core/rbac/index';
import type { ClusterNode } from './nodes';
import type { RbacView } from './session';

export function permissionsChildren(account: ServiceAccountInfo, rbac: RbacView): ClusterNode[] {
  const permissions = permissionsOf(account, rbac.index);
  const bindings = permissions.bindings.map((applied): ClusterNode => ({
    type: 'binding',
    applied,
    risks: bindingRisks(applied),
  }));
  const forbidden = rbac.errors.map((error): ClusterNode => ({
    type: 'forbidden',
    error: {
      resource: error.resource,
      namespace: null,
      reason: error.forbidden ? `cannot list ${error.resource} (403): bindings may be missing` : error.reason,
    },
  }));
  if (bindings.length === 0 && forbidden.length === 0)
    return [{ type: 'message', text: 'No RBAC binding applies', tone: 'info' }];
  return [...bindings, ...forbidden];
}
