// Response helpers and Accept-header negotiation.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeKubernetesProtobuf, protobufContentType } from './kubectl/protobuf';
import { ApiError, badRequest, failure, type ApiStatus } from './status';

export type Representation =
  | { kind: 'json' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'metadata'; version: 'v1' | 'v1beta1' }
  | { kind: 'discovery'; version: 'v2' | 'v2beta1' };

/** `as=` values of meta.k8s.io that ask for metadata only (what client-go's metadata client sends). */
const partialMetadata = new Set(['PartialObjectMetadata', 'PartialObjectMetadataList']);

/** The first media range of the Accept header that the server can produce, in the client's order. */
export function negotiate(accept: string | undefined): Representation {
  for (const range of (accept || 'application/json').split(',')) {
    const [type, ...parameterTexts] = range.split(';').map((part) => part.trim());
    const parameters = new Map(parameterTexts.map((text) => text.split('=', 2) as [string, string]));
    if (!['application/json', 'application/*', '*/*'].includes(type)) continue;
    const as = parameters.get('as');
    const version = parameters.get('v');
    if (as === 'Table' && parameters.get('g') === 'meta.k8s.io' && (version === 'v1' || version === 'v1beta1')) {
      return { kind: 'table', version };
    }
    if (
      partialMetadata.has(as ?? '') &&
      parameters.get('g') === 'meta.k8s.io' &&
      (version === 'v1' || version === 'v1beta1')
    ) {
      return { kind: 'metadata', version };
    }
    if (
      as === 'APIGroupDiscoveryList' &&
      parameters.get('g') === 'apidiscovery.k8s.io' &&
      (version === 'v2' || version === 'v2beta1')
    ) {
      return { kind: 'discovery', version };
    }
    if (!as) return { kind: 'json' };
  }
  return { kind: 'json' };
}

export function sendJson(
  response: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
): void {
  sendText(response, code, typeof body === 'string' ? body : JSON.stringify(body), contentType);
}

export function sendText(
  response: ServerResponse,
  code: number,
  body: string | Buffer,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(code, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache, private',
  });
  response.end(body);
}

export function sendStatus(response: ServerResponse, status: ApiStatus, headers: Record<string, string> = {}): void {
  sendText(response, status.code, JSON.stringify(status), 'application/json', headers);
}

/** Writes a body in pieces, honouring backpressure, so tens of megabytes never sit in one string. */
export async function streamJson(response: ServerResponse, code: number, pieces: Iterable<string>): Promise<void> {
  response.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  for (const piece of pieces) {
    if (response.destroyed) return;
    if (!response.write(piece)) await new Promise((resolve) => response.once('drain', resolve).once('close', resolve));
  }
  response.end();
}

const unsupportedMediaType = (accepted: readonly string[] = ['application/json']): never => {
  throw new ApiError(
    failure(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    ),
  );
};

/** The PATCH body types served (kube-apiserver also takes merge, strategic-merge and apply patches). */
export const PATCH_CONTENT_TYPES = ['application/json-patch+json'] as const;

const maxBodyBytes = 3 * 1024 * 1024;

/** `jsonTypes`: the JSON content types this request may send (a PATCH: its patch types; protobuf is never one). */
export async function readJsonBody(
  request: IncomingMessage,
  jsonTypes: readonly string[] = ['application/json'],
): Promise<unknown> {
  const contentType = (request.headers['content-type'] ?? 'application/json').split(';')[0].trim();
  const isProtobuf = contentType === protobufContentType && jsonTypes.includes('application/json');
  if (!jsonTypes.includes(contentType) && !isProtobuf) throw unsupportedMediaType(jsonTypes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes)
      throw new ApiError(failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  try {
    if (isProtobuf) return decodeKubernetesProtobuf(body) ?? unsupportedMediaType();
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
}
