// SAT007: the deprecated `serviceAccount` pod field.
import { fixOf, newEditor, type RuleContext } from '../context';
import { findPair, getString, nodeRange } from '../nodes';
import type { PodSpec } from '../objects';

export function checkDeprecatedField(ctx: RuleContext, pod: PodSpec): void {
  const index = pod.map.items.findIndex((pair) => (pair.key as { value?: unknown })?.value === 'serviceAccount');
  if (index < 0) return;
  const pair = pod.map.items[index];
  const old = getString(ctx.doc, pod.map, 'serviceAccount');
  const current = getString(ctx.doc, pod.map, 'serviceAccountName');
  const editor = newEditor(ctx, pod);
  let fix;
  if (!pod.aliased && current === undefined && !findPair(pod.map, 'serviceAccountName')) {
    const quote = ctx.text[nodeRange(pair.key).start];
    editor.replace(nodeRange(pair.key).start, nodeRange(pair.key).end, /["']/.test(quote) ? `${quote}serviceAccountName${quote}` : 'serviceAccountName');
    fix = fixOf(editor, 'Rename serviceAccount to serviceAccountName');
  } else if (!pod.aliased && current === old && editor.removeElement(pod.map, index)) {
    fix = fixOf(editor, 'Remove the deprecated serviceAccount (serviceAccountName says the same)');
  }
  const differs = current !== undefined && current !== old ? ` It disagrees with serviceAccountName "${current}", which wins.` : '';
  ctx.report(pod.object, {
    rule: 'SAT007',
    severity: 'warning',
    ...nodeRange(pair.key),
    message: `serviceAccount is deprecated: use serviceAccountName.${differs}`,
    fixes: [fix],
  });
}
