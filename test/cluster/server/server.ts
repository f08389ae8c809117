// The HTTPS front: authentication, authorization, fault injection and routing to the handlers.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorize, bearerToken, forbidden, type UserInfo } from './auth';
import type { Cluster } from './cluster';
import * as discovery from './discovery';
import { latencyMs, throttle } from './faults';
import { negotiate, readJsonBody, sendJson, sendStatus, sendText, type Representation } from './http';
import type { ServingCertificate } from './pki';
import { openApiV2Body, openApiV3Document, openApiV3Root } from './kubectl/openapi';
import { validateFields } from './field-validation';
import { requestInfo, type RequestInfo } from './request-info';
import { serveResource } from './resource-handlers';
import { resourcesByName } from './resources';
import { ApiError, internalError, methodNotAllowed, resourceNotFound, unauthorized } from './status';
import {
  createSelfSubjectAccessReview,
  createSelfSubjectRulesReview,
  createSubjectAccessReview,
} from './access-review';
import { impersonatedUser } from './impersonation';
import { rbacGroup, rbacResourcesByName } from './rbac/resources';
import { createSelfSubjectReview, createTokenRequest, createTokenReview } from './token-handlers';
import { issuer } from './tokens';
import { reviewToken } from './token-review';

export interface ApiServerOptions {
  cluster: Cluster;
  tls: ServingCertificate;
  /** Static bearer tokens of the kubeconfig users. */
  users: Map<string, UserInfo>;
  port?: number;
  /**
   * The network round trip to a remote API server (the bench's fleet report; 0 or absent: answered at once, as over
   * loopback). Every request is answered no sooner than this after it arrives; the first request on a new connection
   * CONNECTION_SETUP_ROUND_TRIPS round trips later still, as the client waited for TCP and TLS before sending it.
   */
  roundTripMs?: number;
}

export interface ApiServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

interface Call {
  cluster: Cluster;
  info: RequestInfo;
  user: UserInfo;
  representation: Representation;
  request: IncomingMessage;
  response: ServerResponse;
  url: string;
}

const aggregatedContentType = (version: string) =>
  `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
const pageNotFound = (response: ServerResponse) =>
  sendText(response, 404, '404 page not found\n', 'text/plain; charset=utf-8');

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { cluster } = options;
  let url = '';
  const server = createServer({ key: options.tls.keyPem, cert: options.tls.certPem }, (request, response) => {
    handle(options, request, response, url).catch((error: unknown) => {
      const { status, headers } = error instanceof ApiError ? error : internalError('unexpected server error');
      // The rest of an oversized body is never read: the connection cannot carry another request.
      if (status.code === 413 && !response.headersSent) response.setHeader('Connection', 'close');
      sendStatus(response, status, headers);
    });
  });
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(options.port ?? 0, '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  url = `https://127.0.0.1:${port}`;
  return {
    server,
    port,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        cluster.dispose();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function authenticate(
  options: ApiServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<UserInfo> {
  const token = bearerToken(request.headers.authorization);
  if (!token) throw unauthorized();
  const user = options.users.get(token);
  if (user) return user;
  const review = await reviewToken(options.cluster, token, [issuer]);
  if (!review.authenticated) throw unauthorized();
  // warning.AddWarning → `Warning: 299 - "<text>"` (kubectl prints "Warning: <text>").
  if (review.warnings.length)
    response.setHeader(
      'Warning',
      review.warnings.map((text) => `299 - ${JSON.stringify(text)}`),
    );
  return review.user;
}

/**
 * Round trips a new connection costs before its first request can be sent: TCP's handshake (SYN, SYN-ACK) and a full
 * TLS 1.3 handshake (RFC 8446 §2: ClientHello … Finished, one round trip; what Node and Go clients negotiate with this
 * server and with kube-apiserver). Over loopback both take no time, so they are charged to the connection's first answer.
 */
export const CONNECTION_SETUP_ROUND_TRIPS = 2;

/** Connections that have carried a request: their later requests pay only the request's own round trip. */
const connectionsUsed = new WeakSet<object>();

/** How long a request waits before it is handled, for `roundTripMs` (see ApiServerOptions). */
function roundTripDelayMs(request: IncomingMessage, roundTripMs: number): number {
  if (connectionsUsed.has(request.socket)) return roundTripMs;
  connectionsUsed.add(request.socket);
  return roundTripMs * (1 + CONNECTION_SETUP_ROUND_TRIPS);
}

/** Holds the response for `delayMs`; resolves false if the client gave up first. */
function delayed(cluster: Cluster, response: ServerResponse, delayMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (proceed: boolean) => {
      clearTimeout(timer);
      unregister();
      resolve(proceed);
    };
    const timer = setTimeout(() => finish(!response.destroyed), delayMs);
    const unregister = cluster.onDispose(() => finish(false));
    response.once('close', () => finish(false));
  });
}

async function handle(
  options: ApiServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
  url: string,
): Promise<void> {
  const { cluster } = options;
  const info = requestInfo(request.method ?? 'GET', request.url ?? '/');
  if (options.roundTripMs && !(await delayed(cluster, response, roundTripDelayMs(request, options.roundTripMs))))
    return;
  if (cluster.fault === 'latency' && !(await delayed(cluster, response, latencyMs))) return;
  if (cluster.fault === 'unauthorized') throw unauthorized();
  const user = impersonatedUser(cluster, await authenticate(options, request, response), request);
  authorize(cluster, user, info);
  if (cluster.fault === 'forbid-secrets' && info.resource === 'secrets') throw forbidden(user, info);
  const call: Call = { cluster, info, user, representation: negotiate(request.headers.accept), request, response, url };
  if (!info.isResourceRequest) return serveNonResource(call);
  throttle(cluster, info, response);
  if (cluster.fault === 'server-error') throw internalError('injected fault: server-error');
  if (cluster.fault === 'malformed-json' && ['get', 'list'].includes(info.verb)) {
    return sendText(
      response,
      200,
      '{"kind":"List","apiVersion":"v1","items":[{"metadata":{"name":',
      'application/json',
    );
  }
  return routeResource(call);
}

function serveNonResource(call: Call): void {
  const { cluster, info, representation, response, url } = call;
  const tokenRequest = cluster.fault !== 'no-tokenrequest';
  const issuerDiscovery = cluster.fault !== 'no-jwks';
  switch (info.path) {
    case '/version':
      return sendJson(response, 200, discovery.versionInfo);
    case '/api':
    case '/apis': {
      const core = info.path === '/api';
      if (representation.kind === 'discovery') {
        return sendJson(
          response,
          200,
          discovery.aggregatedDiscovery(representation.version, core, tokenRequest),
          aggregatedContentType(representation.version),
        );
      }
      return sendJson(
        response,
        200,
        core ? discovery.coreVersions(url.replace('https://', '')) : discovery.groupList(),
      );
    }
    case '/api/v1':
      return sendJson(response, 200, discovery.coreResourceList(tokenRequest));
    case '/.well-known/openid-configuration':
      if (!issuerDiscovery) return pageNotFound(response);
      return sendJson(response, 200, discovery.openIdConfiguration(url, issuer, cluster.tokens.algorithms()));
    case '/openid/v1/jwks':
      if (!issuerDiscovery) return pageNotFound(response);
      return sendJson(response, 200, cluster.tokens.jwks(), 'application/jwk-set+json');
    case '/openapi/v2': {
      const { body, contentType } = openApiV2Body(String(call.request.headers.accept ?? ''));
      return sendText(response, 200, body, contentType);
    }
    case '/openapi/v3':
      return sendJson(response, 200, openApiV3Root());
    case '/openapi/v3/api/v1':
    case '/openapi/v3/apis/rbac.authorization.k8s.io/v1':
    case '/openapi/v3/apis/authentication.k8s.io/v1':
      return sendJson(response, 200, openApiV3Document(info.path) ?? '{}');
    case '/healthz':
    case '/livez':
    case '/readyz':
      return sendText(response, 200, 'ok', 'text/plain; charset=utf-8');
    default:
      return serveGroupDiscovery(call);
  }
}

/** /apis/<group> and /apis/<group>/v1. */
function serveGroupDiscovery({ info, response }: Call): void {
  const [, prefix, name, version, ...rest] = info.path.split('/');
  const document =
    prefix !== 'apis' || rest.length
      ? undefined
      : version === undefined
        ? discovery.group(name)
        : version === 'v1'
          ? discovery.groupResourceList(name)
          : undefined;
  if (!document) return pageNotFound(response);
  sendJson(response, 200, document);
}

async function routeResource(call: Call): Promise<void> {
  const { cluster, info, response } = call;
  if (info.apiGroup === '' && info.apiVersion === 'v1') {
    const definition = resourcesByName.get(info.resource);
    if (!definition) throw resourceNotFound();
    if (!info.subresource) return serveResource({ ...call, definition });
    const isTokenRequest = info.resource === 'serviceaccounts' && info.subresource === 'token' && info.namespace;
    if (!isTokenRequest || cluster.fault === 'no-tokenrequest') throw resourceNotFound();
    if (info.verb !== 'create') throw methodNotAllowed();
    return sendJson(
      response,
      201,
      await createTokenRequest(cluster, info.namespace, info.name, await readJsonBody(call.request)),
    );
  }
  if (info.apiGroup === 'authentication.k8s.io' && info.apiVersion === 'v1' && info.verb === 'create' && !info.name) {
    if (info.resource === 'tokenreviews') {
      const body = await readJsonBody(call.request);
      validateFields(info.query, response, body);
      return sendJson(response, 201, await createTokenReview(cluster, body));
    }
    if (info.resource === 'selfsubjectreviews') return sendJson(response, 201, createSelfSubjectReview(call.user));
  }
  if (info.apiGroup === 'authorization.k8s.io' && info.apiVersion === 'v1' && info.verb === 'create' && !info.name) {
    if (info.resource === 'selfsubjectaccessreviews')
      return sendJson(
        response,
        201,
        createSelfSubjectAccessReview(cluster, call.user, await readJsonBody(call.request)),
      );
    if (info.resource === 'selfsubjectrulesreviews')
      return sendJson(
        response,
        201,
        createSelfSubjectRulesReview(cluster, call.user, await readJsonBody(call.request)),
      );
    if (info.resource === 'subjectaccessreviews')
      return sendJson(response, 201, createSubjectAccessReview(cluster, await readJsonBody(call.request)));
  }
  if (info.apiGroup === rbacGroup && info.apiVersion === 'v1') {
    const definition = rbacResourcesByName.get(info.resource);
    if (!definition || info.subresource) throw resourceNotFound();
    return serveResource({ ...call, definition });
  }
  throw resourceNotFound();
}
