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
  const fix = () => {
    const editor = newEditor(ctx, pod);
    if (pod.aliased) return undefined;
    if (current === undefined && !findPair(pod.map, 'serviceAccountName')) {
      editor.replaceScalar(pair.key, 'serviceAccountName');
      return fixOf(editor, 'Rename serviceAccount to serviceAccountName');
    }
    if (current === old && editor.removeElement(pod.map, index)) {
      return fixOf(editor, 'Remove the deprecated serviceAccount (serviceAccountName says the same)');
    }
    return undefined;
  };
  const differs = current !== undefined && current !== old ? ` It disagrees with serviceAccountName "${current}", which wins.` : '';
  ctx.report(pod.object, {
    rule: 'SAT007',
    severity: 'warning',
    ...nodeRange(pair.key),
    message: `serviceAccount is deprecated: use serviceAccountName.${differs}`,
    fixes: () => [fix()],
  });
}
