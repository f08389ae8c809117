// SAT007: the deprecated `serviceAccount` pod field.
import { fixOf, newEditor, sharedNote, type RuleContext } from '../context';
import { findPair, getString, nodeRange, resolvePair } from '../nodes';
import type { PodSpec } from '../objects';
import { isTemplated } from '../problems';

export function checkDeprecatedField(ctx: RuleContext, pod: PodSpec): void {
  const found = resolvePair(ctx.doc, pod.map, 'serviceAccount');
  if (!found) return;
  const pair = found.node;
  const index = pod.map.items.indexOf(pair);
  const shared = pod.aliased || found.aliased;
  const old = getString(ctx.doc, pod.map, 'serviceAccount');
  const current = getString(ctx.doc, pod.map, 'serviceAccountName');
  const fix = () => {
    if (shared) return undefined;
    const editor = newEditor(ctx, pod);
    if (current === undefined && !findPair(pod.map, 'serviceAccountName')) {
      editor.replaceScalar(pair.key, 'serviceAccountName');
      return fixOf(editor, 'Rename serviceAccount to serviceAccountName');
    }
    if (current === old && editor.removeElement(pod.map, index)) {
      return fixOf(editor, 'Remove the deprecated serviceAccount field');
    }
    return undefined;
  };
  const differs =
    current !== undefined && current !== old && !isTemplated(current) && !isTemplated(old)
      ? ` It disagrees with serviceAccountName "${current}", which wins.`
      : '';
  ctx.report(pod.object, {
    rule: 'SAT007',
    severity: 'warning',
    ...nodeRange(pair.key),
    message: sharedNote(`serviceAccount is deprecated: use serviceAccountName.${differs}`, shared),
    fixes: () => [fix()],
  });
}
