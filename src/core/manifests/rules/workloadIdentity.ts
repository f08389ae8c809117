// SAT203: a ServiceAccount annotated for cloud workload identity (EKS IRSA, Azure Workload Identity, GKE) whose own
// annotations are out of the provider webhook's range, or whose pods contradict it: an Azure pod without the label
// the webhook selects on, a projected token whose audience belongs to another system. The facts and their sources
// live in core/identity/workloadIdentity.ts.
import { isMap, isScalar } from 'yaml';
import {
  AWS_AUDIENCE_ANNOTATION,
  AWS_ROLE_ARN_ANNOTATION,
  AWS_ROLE_ARN_SHAPE,
  audienceFitsProvider,
  audienceSystem,
  cloudIdentityOf,
  expectedAudience,
  expirationProblem,
  type CloudIdentityProvider,
} from '../../identity/workloadIdentity';
import { mayHoldUnseenKeys, objectRef, type RuleContext } from '../context';
import { findPair, getMap, getSeq, getString, nodeRange, seqMaps, valueNode, type AnyMap } from '../nodes';
import type { KubeObject, PodSpec } from '../objects';
import { isTemplated } from '../problems';

/** A ServiceAccount's own annotations: expiration and audience out of range, a role ARN the webhook warns about. */
export function checkWorkloadIdentityAccount(ctx: RuleContext, object: KubeObject): void {
  if (object.kind !== 'ServiceAccount') return;
  const provider = cloudIdentityOf(object.annotations);
  if (!provider) return;
  const annotations = annotationMap(ctx, object);
  const report = (key: string, message: string) => {
    const node = annotations && valueNode(ctx.doc, annotations, key);
    if (!node || isTemplated(object.annotations.get(key))) return;
    ctx.report(object, { rule: 'SAT203', severity: 'warning', ...nodeRange(node), message });
  };
  const expiration = provider.expiration && object.annotations.get(provider.expiration.annotation);
  const problem = expiration !== undefined && !isTemplated(expiration) && expirationProblem(provider, expiration);
  if (problem) report(provider.expiration!.annotation, problem);
  if (provider.provider !== 'aws') return;
  const audience = object.annotations.get(AWS_AUDIENCE_ANNOTATION);
  const other = audience !== undefined ? audienceSystem(audience) : undefined;
  if (audience !== undefined && audience.trim() === '')
    report(
      AWS_AUDIENCE_ANNOTATION,
      `${AWS_AUDIENCE_ANNOTATION} is empty: STS accepts only the audiences the IAM OIDC provider lists (default sts.amazonaws.com).`,
    );
  else if (other && other.confidence === 'exact' && other.system !== 'aws-irsa')
    report(
      AWS_AUDIENCE_ANNOTATION,
      `${AWS_AUDIENCE_ANNOTATION} "${audience}" is the audience of ${other.name}, not AWS STS: the role cannot be assumed with this token (default sts.amazonaws.com).`,
    );
  const arn = object.annotations.get(AWS_ROLE_ARN_ANNOTATION) ?? '';
  if (!isTemplated(arn) && arn.startsWith('arn:') && !AWS_ROLE_ARN_SHAPE.test(arn))
    report(
      AWS_ROLE_ARN_ANNOTATION,
      `${AWS_ROLE_ARN_ANNOTATION} is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>): the webhook warns "arn is invalid" and STS rejects it.`,
    );
}

/** Pods of an annotated ServiceAccount: Azure's pod label, and projected tokens' audiences. */
export function checkWorkloadIdentity(ctx: RuleContext, pod: PodSpec): void {
  const name =
    getString(ctx.doc, pod.map, 'serviceAccountName') ?? getString(ctx.doc, pod.map, 'serviceAccount') ?? 'default';
  const annotations = ctx.lookup.serviceAccount(objectRef(pod.object, name)).identityAnnotations;
  if (!annotations) return;
  const annotationsMap = new Map(Object.entries(annotations));
  const provider = cloudIdentityOf(annotationsMap);
  if (!provider) return;
  const at = nodeRange(
    valueNode(ctx.doc, pod.map, 'serviceAccountName') ?? valueNode(ctx.doc, pod.map, 'serviceAccount') ?? pod.pair.key,
  );
  if (provider.podLabel) checkPodLabel(ctx, pod, provider, name, at);
  checkAudiences(ctx, pod, provider, name, annotationsMap);
}

function checkPodLabel(
  ctx: RuleContext,
  pod: PodSpec,
  provider: CloudIdentityProvider,
  account: string,
  at: { start: number; end: number },
): void {
  const { key, value } = provider.podLabel!;
  const labels = podLabels(ctx, pod);
  // Unknown (templated or not a map) labels prove nothing; any explicit value is the author's choice.
  if (labels === undefined || labels.has(key)) return;
  ctx.report(pod.object, {
    rule: 'SAT203',
    severity: 'warning',
    ...at,
    message:
      `ServiceAccount "${account}" is annotated for ${provider.name} (${provider.accountAnnotation}), but this pod template lacks the label ${key}: "${value}": ` +
      'the webhook mutates only labelled pods, so the pod gets no federated token and no AZURE_* variables.',
  });
}

function checkAudiences(
  ctx: RuleContext,
  pod: PodSpec,
  provider: CloudIdentityProvider,
  account: string,
  annotations: ReadonlyMap<string, string>,
): void {
  const expected = expectedAudience(provider, annotations);
  const volumes = getSeq(ctx.doc, pod.map, 'volumes');
  for (const { node: volume } of volumes ? seqMaps(ctx.doc, volumes.node) : []) {
    const projected = getMap(ctx.doc, volume, 'projected');
    const sources = projected && getSeq(ctx.doc, projected.node, 'sources');
    const atProviderPath = mountedAt(ctx, pod, getString(ctx.doc, volume, 'name'), provider.tokenDirectory);
    for (const { node: source } of sources ? seqMaps(ctx.doc, sources.node) : []) {
      const token = getMap(ctx.doc, source, 'serviceAccountToken')?.node;
      if (!token) continue;
      const audienceNode = valueNode(ctx.doc, token, 'audience');
      const audience = getString(ctx.doc, token, 'audience');
      if (isTemplated(audience)) continue;
      const fits = audience === undefined ? undefined : audienceFitsProvider(audience, provider, annotations);
      const where = nodeRange(audienceNode ?? findPair(source, 'serviceAccountToken')?.key ?? source);
      if (fits === false) {
        ctx.report(pod.object, {
          rule: 'SAT203',
          severity: 'warning',
          ...where,
          message:
            `Audience "${audience}" is for ${audienceSystem(audience!)!.name}, but ServiceAccount "${account}" is annotated for ${provider.name}` +
            (expected ? `, which expects "${expected}".` : '.'),
        });
      } else if (atProviderPath && expected && fits !== true) {
        // Mounted where the provider's SDKs read their token: the audience must be the provider's.
        ctx.report(pod.object, {
          rule: 'SAT203',
          severity: 'warning',
          ...where,
          message:
            `This token is mounted at ${provider.tokenDirectory}, where ${provider.name} clients read their token, but its audience is ` +
            `${audience === undefined ? "the API server's (none set)" : `"${audience}"`}: ${provider.name} expects "${expected}".`,
        });
      }
    }
  }
}

/** Whether a container mounts the named volume at (or under) `directory`. */
function mountedAt(ctx: RuleContext, pod: PodSpec, volume: string | undefined, directory: string | undefined): boolean {
  if (!volume || !directory) return false;
  return pod.containers.some((container) => {
    const mounts = getSeq(ctx.doc, container.map, 'volumeMounts');
    return (mounts ? seqMaps(ctx.doc, mounts.node) : []).some(({ node }) => {
      const path = getString(ctx.doc, node, 'mountPath')?.replace(/\/+$/, '');
      return getString(ctx.doc, node, 'name') === volume && (path === directory || path?.startsWith(`${directory}/`));
    });
  });
}

/** The pod template's labels, or undefined when they cannot be known (a template include or a patch may add some). */
function podLabels(ctx: RuleContext, pod: PodSpec): Map<string, string> | undefined {
  const metadata = getMap(ctx.doc, pod.template, 'metadata')?.node;
  if (!metadata) return mayHoldUnseenKeys(ctx, pod.template) ? undefined : new Map();
  const labelsNode = valueNode(ctx.doc, metadata, 'labels');
  if (labelsNode === undefined || labelsNode === null) return mayHoldUnseenKeys(ctx, metadata) ? undefined : new Map();
  if (!isMap(labelsNode) || mayHoldUnseenKeys(ctx, labelsNode)) return undefined;
  const labels = new Map<string, string>();
  for (const pair of labelsNode.items) {
    if (!isScalar(pair.key)) return undefined;
    const value = isScalar(pair.value) ? String(pair.value.value) : '';
    if (isTemplated(String(pair.key.value)) || isTemplated(value)) return undefined;
    labels.set(String(pair.key.value), value);
  }
  return labels;
}

function annotationMap(ctx: RuleContext, object: KubeObject): AnyMap | undefined {
  const metadata = getMap(ctx.doc, object.map, 'metadata')?.node;
  return metadata && getMap(ctx.doc, metadata, 'annotations')?.node;
}
