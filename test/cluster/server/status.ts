// Kubernetes `Status` objects (meta/v1) for error responses, with the reasons and messages the real API server uses.

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  retryAfterSeconds?: number;
  causes?: { reason: string; message: string; field: string }[];
}

export interface ApiStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An API error carrying the Status body to send. Handlers throw it; the server turns it into a response. */
export class ApiError extends Error {
  constructor(
    readonly status: ApiStatus,
    /** Response headers that go with the Status (Retry-After on a 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(status.message);
  }
}

export function failure(code: number, reason: string, message: string, details?: StatusDetails): ApiStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

export function success(details: StatusDetails): ApiStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 };
}

export const unauthorized = (): ApiError => new ApiError(failure(401, 'Unauthorized', 'Unauthorized'));

/** An error about one named object, e.g. `secrets "x" not found`, with the details clients read. */
function objectError(
  code: number,
  reason: string,
  message: (subject: string) => string,
  resource: string,
  name: string,
  group = '',
): ApiError {
  const subject = `${group ? `${resource}.${group}` : resource} "${name}"`;
  return new ApiError(failure(code, reason, message(subject), { name, group: group || undefined, kind: resource }));
}

export const notFound = (resource: string, name: string, group = ''): ApiError =>
  objectError(404, 'NotFound', (subject) => `${subject} not found`, resource, name, group);

export const alreadyExists = (resource: string, name: string, group = ''): ApiError =>
  objectError(409, 'AlreadyExists', (subject) => `${subject} already exists`, resource, name, group);

export const conflict = (resource: string, name: string, why: string, group = ''): ApiError =>
  objectError(
    409,
    'Conflict',
    (subject) => `Operation cannot be fulfilled on ${subject}: ${why}`,
    resource,
    name,
    group,
  );

export const badRequest = (message: string): ApiError => new ApiError(failure(400, 'BadRequest', message));

/** 422 like `field.ErrorList.ToAggregate()`: `<Kind> "<name>" is invalid: <field>: <type>: <detail>`. */
export function invalid(
  kind: string,
  name: string,
  causes: { field: string; message: string }[],
  group = '',
): ApiError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const listed = causes.map((cause) => `${cause.field}: ${cause.message}`);
  const joined = listed.length === 1 ? listed[0] : `[${listed.join(', ')}]`;
  return new ApiError(
    failure(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${joined}`, {
      name,
      group: group || undefined,
      kind,
      causes: causes.map((cause) => ({ reason: 'FieldValueInvalid', message: cause.message, field: cause.field })),
    }),
  );
}

export const methodNotAllowed = (): ApiError =>
  new ApiError(failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));

export const resourceNotFound = (): ApiError =>
  new ApiError(failure(404, 'NotFound', 'the server could not find the requested resource', {}));

/**
 * API Priority and Fairness turning a request away (apiserver filters/priority-and-fairness.go tooManyRequests:
 * apierrors.NewTooManyRequests plus the Retry-After header).
 */
export const tooManyRequests = (retryAfterSeconds: number): ApiError =>
  new ApiError(failure(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds }), {
    'Retry-After': String(retryAfterSeconds),
  });

/** A 410 for a list continuation whose revision etcd compacted (etcd3 store.go handleCompactedErrorForPaging). */
export function continueExpired(freshContinue: string): ApiError {
  const status = failure(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );
  delete status.details;
  return new ApiError({ ...status, metadata: { continue: freshContinue } });
}

export const internalError = (why: string): ApiError =>
  new ApiError(
    failure(500, 'InternalError', `Internal error occurred: ${why}`, {
      causes: [{ reason: '', message: why, field: '' }],
    }),
  );
