// Decodes the Kubernetes protobuf request bodies clients send for built-in types (kubectl's `create token` posts
// its TokenRequest as application/vnd.kubernetes.protobuf): the `k8s\0` magic, then runtime.Unknown wrapping the
// object; `kubectl create sa|secret|ns|cm|role|clusterrole|rolebinding|clusterrolebinding` and `auth can-i` do the same. Only the messages the server accepts are described, with field numbers from Kubernetes' generated.proto.
import protobuf from 'protobufjs';

export const protobufContentType = 'application/vnd.kubernetes.protobuf';
const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const string = (id: number) => ({ type: 'string', id });

/** RoleBinding and ClusterRoleBinding carry the same fields (rbac/v1 generated.proto: metadata 1, subjects 2, roleRef 3). */
const bindingFields = {
  metadata: { type: 'ObjectMeta', id: 1 },
  subjects: { rule: 'repeated', type: 'Subject', id: 2 },
  roleRef: { type: 'RoleRef', id: 3 },
};

const descriptor = {
  nested: {
    Unknown: {
      fields: {
        typeMeta: { type: 'TypeMeta', id: 1 },
        raw: { type: 'bytes', id: 2 },
        contentEncoding: string(3),
        contentType: string(4),
      },
    },
    TypeMeta: { fields: { apiVersion: string(1), kind: string(2) } },
    ObjectMeta: {
      fields: {
        name: string(1),
        generateName: string(2),
        namespace: string(3),
        labels: { keyType: 'string', type: 'string', id: 11 },
        annotations: { keyType: 'string', type: 'string', id: 12 },
      },
    },
    ObjectReference: {
      fields: { kind: string(1), namespace: string(2), name: string(3), uid: string(4), apiVersion: string(5) },
    },
    LocalObjectReference: { fields: { name: string(1) } },
    NamespaceSpec: { fields: { finalizers: { rule: 'repeated', type: 'string', id: 1 } } },
    Namespace: { fields: { metadata: { type: 'ObjectMeta', id: 1 }, spec: { type: 'NamespaceSpec', id: 2 } } },
    ServiceAccount: {
      fields: {
        metadata: { type: 'ObjectMeta', id: 1 },
        secrets: { rule: 'repeated', type: 'ObjectReference', id: 2 },
        imagePullSecrets: { rule: 'repeated', type: 'LocalObjectReference', id: 3 },
        automountServiceAccountToken: { type: 'bool', id: 4 },
      },
    },
    Secret: {
      fields: {
        metadata: { type: 'ObjectMeta', id: 1 },
        data: { keyType: 'string', type: 'bytes', id: 2 },
        type: string(3),
        stringData: { keyType: 'string', type: 'string', id: 4 },
        immutable: { type: 'bool', id: 5 },
      },
    },
    ConfigMap: {
      fields: {
        metadata: { type: 'ObjectMeta', id: 1 },
        data: { keyType: 'string', type: 'string', id: 2 },
        binaryData: { keyType: 'string', type: 'bytes', id: 3 },
        immutable: { type: 'bool', id: 4 },
      },
    },
    BoundObjectReference: { fields: { kind: string(1), apiVersion: string(2), name: string(3), uid: string(4) } },
    TokenRequestSpec: {
      fields: {
        audiences: { rule: 'repeated', type: 'string', id: 1 },
        boundObjectRef: { type: 'BoundObjectReference', id: 3 },
        expirationSeconds: { type: 'int64', id: 4 },
      },
    },
    ResourceAttributes: {
      fields: {
        namespace: string(1),
        verb: string(2),
        group: string(3),
        version: string(4),
        resource: string(5),
        subresource: string(6),
        name: string(7),
      },
    },
    NonResourceAttributes: { fields: { path: string(1), verb: string(2) } },
    SelfSubjectAccessReviewSpec: {
      fields: {
        resourceAttributes: { type: 'ResourceAttributes', id: 1 },
        nonResourceAttributes: { type: 'NonResourceAttributes', id: 2 },
      },
    },
    SelfSubjectAccessReview: {
      fields: { metadata: { type: 'ObjectMeta', id: 1 }, spec: { type: 'SelfSubjectAccessReviewSpec', id: 2 } },
    },
    SelfSubjectRulesReviewSpec: { fields: { namespace: string(1) } },
    SelfSubjectRulesReview: {
      fields: { metadata: { type: 'ObjectMeta', id: 1 }, spec: { type: 'SelfSubjectRulesReviewSpec', id: 2 } },
    },
    TokenRequest: { fields: { metadata: { type: 'ObjectMeta', id: 1 }, spec: { type: 'TokenRequestSpec', id: 2 } } },
    // k8s.io/api/rbac/v1/generated.proto; LabelSelector from k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto.
    LabelSelectorRequirement: {
      fields: { key: string(1), operator: string(2), values: { rule: 'repeated', type: 'string', id: 3 } },
    },
    LabelSelector: {
      fields: {
        matchLabels: { keyType: 'string', type: 'string', id: 1 },
        matchExpressions: { rule: 'repeated', type: 'LabelSelectorRequirement', id: 2 },
      },
    },
    PolicyRule: {
      fields: {
        verbs: { rule: 'repeated', type: 'string', id: 1 },
        apiGroups: { rule: 'repeated', type: 'string', id: 2 },
        resources: { rule: 'repeated', type: 'string', id: 3 },
        resourceNames: { rule: 'repeated', type: 'string', id: 4 },
        nonResourceURLs: { rule: 'repeated', type: 'string', id: 5 },
      },
    },
    AggregationRule: { fields: { clusterRoleSelectors: { rule: 'repeated', type: 'LabelSelector', id: 1 } } },
    Role: {
      fields: { metadata: { type: 'ObjectMeta', id: 1 }, rules: { rule: 'repeated', type: 'PolicyRule', id: 2 } },
    },
    ClusterRole: {
      fields: {
        metadata: { type: 'ObjectMeta', id: 1 },
        rules: { rule: 'repeated', type: 'PolicyRule', id: 2 },
        aggregationRule: { type: 'AggregationRule', id: 3 },
      },
    },
    RoleRef: { fields: { apiGroup: string(1), kind: string(2), name: string(3) } },
    Subject: { fields: { kind: string(1), apiGroup: string(2), name: string(3), namespace: string(4) } },
    RoleBinding: { fields: bindingFields },
    ClusterRoleBinding: { fields: bindingFields },
  },
};

const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);

const decodableKinds = new Set([
  'TokenRequest',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
  'Namespace',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
]);

/** The decoded object as plain JSON-like data, or undefined when the kind is not one the server decodes. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> | undefined {
  if (!body.subarray(0, magic.length).equals(magic)) throw new Error('missing k8s protobuf prefix');
  const unknown = root.lookupType('Unknown').decode(body.subarray(magic.length)) as unknown as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Uint8Array;
  };
  const kind = unknown.typeMeta?.kind ?? '';
  if (!decodableKinds.has(kind) || !unknown.raw) return undefined;
  const type = root.lookupType(kind);
  // bytes become base64 strings, as in the JSON form of Secret data.
  const object = type.toObject(type.decode(unknown.raw), { longs: Number, bytes: String, defaults: false });
  return { apiVersion: unknown.typeMeta?.apiVersion, kind, ...object };
}
