// Kubernetes object names as the API server checks them, and the names we suggest: one home for both.
import { MAX_OBJECT_NAME_LENGTH } from '../kubernetes';
import type { ServiceAccountInfo } from './model';

/** apimachinery's IsDNS1123Subdomain (pkg/util/validation): labels of [a-z0-9-] joined by ".", each starting and
 * ending with a letter or digit, at most 253 characters in all. Secrets, Pods and most objects are named so. */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether Kubernetes accepts `name` for a ServiceAccount, Secret, Pod or workload (a DNS subdomain). */
export function isObjectName(name: string): boolean {
  return name.length <= MAX_OBJECT_NAME_LENGTH && DNS1123_SUBDOMAIN.test(name);
}

/** A Kubernetes object name (DNS subdomain): the only names we accept before sending a request. */
export function validateObjectName(input: string): string | undefined {
  const name = input.trim();
  if (!name) return 'Enter a name.';
  if (name.length > MAX_OBJECT_NAME_LENGTH)
    return `Too long: a Kubernetes name has at most ${MAX_OBJECT_NAME_LENGTH} characters (this one ${name.length}).`;
  if (!DNS1123_SUBDOMAIN.test(name))
    return 'Not a valid Kubernetes name (a DNS subdomain): lowercase letters, digits, "-" and "."; each "."-separated part starts and ends with a letter or digit.';
  return undefined;
}

/**
 * The name offered for a new explicit token Secret of `account`: `<sa>-token`, else `<sa>-token-2`, `-3`… when a
 * Secret the view knows of (a token Secret or a `.secrets` entry) already has it. Valid for any valid account name.
 */
export function suggestedTokenSecretName(account: Pick<ServiceAccountInfo, 'name' | 'tokenSecrets' | 'secretsList'>) {
  const taken = new Set([...account.tokenSecrets.map((secret) => secret.name), ...account.secretsList]);
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '-token' : `-token-${n}`;
    // A long account name is cut so the suffix fits; a cut never ends on "-" or ".".
    const base = account.name.slice(0, MAX_OBJECT_NAME_LENGTH - suffix.length).replace(/[-.]+$/, '');
    const name = `${base}${suffix}`;
    if (!taken.has(name)) return name;
  }
}
