// labelSelector and fieldSelector query parameters, with the semantics of k8s.io/apimachinery labels/fields.
import { badRequest } from './status';

export type Labels = Record<string, string> | undefined;
export type LabelMatcher = (labels: Labels) => boolean;
export type FieldMatcher = (fieldValue: (field: string) => string | undefined) => boolean;

const setRequirement = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/;
const equalityRequirement = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/;
const existsRequirement = /^(!?)([\w./-]+)$/;

/** Splits on commas outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += char;
  }
  parts.push(current.trim());
  return parts.filter((part) => part !== '');
}

function labelRequirement(text: string): LabelMatcher {
  const set = setRequirement.exec(text);
  if (set) {
    const [, key, operator, values] = set;
    const allowed = new Set(values.split(',').map((value) => value.trim()));
    return operator === 'in'
      ? (labels) => labels?.[key] !== undefined && allowed.has(labels[key])
      : (labels) => labels?.[key] === undefined || !allowed.has(labels[key]);
  }
  const equality = equalityRequirement.exec(text);
  if (equality) {
    const [, key, operator, value] = equality;
    return operator === '!=' ? (labels) => labels?.[key] !== value : (labels) => labels?.[key] === value;
  }
  const exists = existsRequirement.exec(text);
  if (exists) {
    const [, negated, key] = exists;
    return negated ? (labels) => labels?.[key] === undefined : (labels) => labels?.[key] !== undefined;
  }
  throw badRequest(`unable to parse requirement: found '${text}', expected: in, notin, =, ==, !=, gt, lt`);
}

export function parseLabelSelector(selector: string | null): LabelMatcher | null {
  if (!selector) return null;
  const requirements = splitRequirements(selector).map(labelRequirement);
  return (labels) => requirements.every((matches) => matches(labels));
}

/** Parses `a=b,c!=d`; every field must be one the resource supports, else 400 like the real server. */
export function parseFieldSelector(selector: string | null, supported: Set<string>): FieldMatcher | null {
  if (!selector) return null;
  const requirements = splitRequirements(selector).map((text) => {
    const match = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(text);
    if (!match) throw badRequest(`invalid selector: '${selector}'; can't understand '${text}'`);
    const [, field, operator, value] = match;
    if (!supported.has(field)) throw badRequest(`field label not supported: ${field}`);
    return { field, negate: operator === '!=', value };
  });
  return (fieldValue) => requirements.every(({ field, negate, value }) => (fieldValue(field) === value) !== negate);
}
