// Splits a request into the attributes the real API server derives (k8s.io/apiserver RequestInfoFactory).
import { badRequest } from './status';

export interface RequestInfo {
  path: string;
  query: URLSearchParams;
  isResourceRequest: boolean;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

const namespaceSubresources = new Set(['status', 'finalize']);

function verbOf(method: string, hasName: boolean, query: URLSearchParams): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (hasName) return 'get';
      return ['1', 'true'].includes(query.get('watch') ?? '') ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`invalid URL escape in path segment "${segment}"`);
  }
}

export function requestInfo(method: string, rawUrl: string): RequestInfo {
  const url = new URL(rawUrl, 'https://api.invalid');
  const parts = url.pathname
    .split('/')
    .filter((part) => part !== '')
    .map(decodePathSegment);
  const base = {
    path: url.pathname,
    query: url.searchParams,
    isResourceRequest: false,
    verb: method.toLowerCase(),
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
  };
  const prefixLength = parts[0] === 'api' ? 2 : parts[0] === 'apis' ? 3 : 0;
  if (prefixLength === 0 || parts.length <= prefixLength) return base;
  let rest = parts.slice(prefixLength);
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !namespaceSubresources.has(rest[2])) rest = rest.slice(2);
  }
  return {
    ...base,
    isResourceRequest: true,
    apiGroup: parts[0] === 'apis' ? parts[1] : '',
    apiVersion: parts[prefixLength - 1],
    namespace,
    resource: rest[0],
    name: rest[1] ?? '',
    subresource: rest[2] ?? '',
    verb: verbOf(method, rest.length > 1, url.searchParams),
  };
}
