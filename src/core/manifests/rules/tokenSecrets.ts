// SAT002: long-lived token Secrets, and ServiceAccounts that list them.
import { isScalar } from 'yaml';
import { objectRef, type RuleContext } from '../context';
import { getSeq, nodeRange, seqMaps, getString, valueNode } from '../nodes';
import type { KubeObject } from '../objects';
import { TOKEN_SECRET_TYPE } from '../../kubernetes';
import { isTemplated } from '../problems';

const LONG_LIVED =
  'holds a long-lived service account token: it never expires and stays valid until the Secret is deleted. ' +
  'Prefer short-lived tokens (TokenRequest, `kubectl create token`, projected volumes).';

export function checkTokenSecrets(ctx: RuleContext, object: KubeObject): void {
  if (object.kind === 'Secret') {
    const type = valueNode(ctx.doc, object.map, 'type');
    if (!isScalar(type) || type.value !== TOKEN_SECRET_TYPE || !object.name) return;
    const known = !isTemplated(object.name);
    ctx.report(object, {
      rule: 'SAT002',
      severity: 'info',
      ...nodeRange(type),
      message: `${known ? `Secret "${object.name}"` : 'This Secret'} ${LONG_LIVED}`,
      ...(known ? { subject: { kind: 'Secret', ...objectRef(object, object.name) } } : {}),
    });
  } else if (object.kind === 'ServiceAccount') {
    const secrets = getSeq(ctx.doc, object.map, 'secrets');
    for (const { node } of secrets ? seqMaps(ctx.doc, secrets.node) : []) {
      const name = getString(ctx.doc, node, 'name');
      const nameNode = valueNode(ctx.doc, node, 'name');
      if (!name || !nameNode || isTemplated(name) || isTemplated(object.name)) continue;
      const ref = objectRef(object, name);
      if (!ctx.lookup.isTokenSecret(ref) && !name.startsWith(`${object.name ?? ''}-token-`)) continue;
      ctx.report(object, {
        rule: 'SAT002',
        severity: 'info',
        ...nodeRange(nameNode),
        message: `ServiceAccount "${object.name ?? ''}" lists token Secret "${name}", which ${LONG_LIVED}`,
        subject: { kind: 'Secret', ...ref },
      });
    }
  }
}
