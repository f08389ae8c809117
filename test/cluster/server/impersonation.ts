// Impersonation headers (`kubectl --as`, `--as-group`, `--as-uid`), after k8s.io/apiserver's WithImpersonation
// filter: each requested identity must be allowed to the requester (`impersonate` on users, groups, serviceaccounts,
// uids, userextras/<key>), then the request runs as the new user. A ServiceAccount username gets its two groups, and
// system:authenticated is added unless groups were given.
import type { IncomingMessage } from 'node:http';
import { allowed, forbidden, type UserInfo } from './auth';
import type { Cluster } from './cluster';
import type { RequestInfo } from './request-info';
import { internalError } from './status';

const serviceAccountPrefix = 'system:serviceaccount:';
const extraPrefix = 'impersonate-extra-';

const headerValues = (request: IncomingMessage, name: string): string[] => {
  const values: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2)
    if (request.rawHeaders[i].toLowerCase() === name) values.push(request.rawHeaders[i + 1]);
  return values;
};

/** serviceaccount.SplitUsername. */
function splitServiceAccount(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(serviceAccountPrefix)) return undefined;
  const parts = username.slice(serviceAccountPrefix.length).split(':');
  return parts.length === 2 && parts[0] && parts[1] ? { namespace: parts[0], name: parts[1] } : undefined;
}

const acting = (verbTarget: Partial<RequestInfo>): RequestInfo => ({
  path: '',
  query: new URLSearchParams(),
  isResourceRequest: true,
  verb: 'impersonate',
  apiGroup: '',
  apiVersion: '',
  namespace: '',
  resource: '',
  subresource: '',
  name: '',
  ...verbTarget,
});

/** The user the request runs as: the authenticated one, or the one it may impersonate; throws 403 otherwise. */
export function impersonatedUser(cluster: Cluster, requester: UserInfo, request: IncomingMessage): UserInfo {
  const [username] = headerValues(request, 'impersonate-user');
  const groups = headerValues(request, 'impersonate-group');
  const [uid] = headerValues(request, 'impersonate-uid');
  const extras: Record<string, string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i].toLowerCase();
    if (!name.startsWith(extraPrefix)) continue;
    const key = decodeURIComponent(name.slice(extraPrefix.length));
    (extras[key] ??= []).push(request.rawHeaders[i + 1]);
  }
  if (username === undefined) {
    if (groups.length || uid !== undefined || Object.keys(extras).length)
      throw internalError('requested impersonation of groups, extra or uid without impersonating a user');
    return requester;
  }
  const checks: RequestInfo[] = [];
  const account = splitServiceAccount(username);
  const impersonatedGroups: string[] = [];
  if (account) {
    checks.push(acting({ resource: 'serviceaccounts', namespace: account.namespace, name: account.name }));
    if (!groups.length)
      impersonatedGroups.push('system:serviceaccounts', `system:serviceaccounts:${account.namespace}`);
  } else checks.push(acting({ resource: 'users', name: username }));
  for (const group of groups) {
    checks.push(acting({ resource: 'groups', name: group }));
    impersonatedGroups.push(group);
  }
  for (const [key, values] of Object.entries(extras))
    for (const value of values)
      checks.push(acting({ apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: key, name: value }));
  if (uid !== undefined) checks.push(acting({ apiGroup: 'authentication.k8s.io', resource: 'uids', name: uid }));
  for (const check of checks) if (!allowed(cluster, requester, check)) throw forbidden(requester, check);
  if (
    !groups.length &&
    username !== 'system:anonymous' &&
    !impersonatedGroups.includes('system:authenticated') &&
    !impersonatedGroups.includes('system:unauthenticated')
  )
    impersonatedGroups.push('system:authenticated');
  return {
    username,
    groups: impersonatedGroups,
    ...(uid !== undefined ? { uid } : {}),
    ...(Object.keys(extras).length ? { extra: extras } : {}),
  };
}
