// Every place a pod spec reads a Secret: env secretKeyRef, envFrom secretRef, secret volumes.
import type { Document } from 'yaml';
import { forEachItemMap, getMap, getString, resolvePair, type AnyMap, type AnyPair, type AnySeq } from './nodes';
import type { Container, PodSpec } from './objects';

interface RefBase {
  secretName: string;
  /** The node a diagnostic points at: the secretKeyRef / secretRef / secret pair. */
  pair: AnyPair;
  /** Shared through an alias somewhere on the way: no edit may touch it. */
  aliased: boolean;
}

export interface EnvSecretRef extends RefBase {
  type: 'env';
  container: Container;
  envItem: AnyMap;
  envName?: string;
  valueFromPair: AnyPair;
  key?: string;
}

export interface EnvFromSecretRef extends RefBase {
  type: 'envFrom';
  container: Container;
  envFrom: AnySeq;
  index: number;
  prefix: string;
}

export interface VolumeSecretRef extends RefBase {
  type: 'volume';
  volume: AnyMap;
  secret: AnyMap;
}

export type SecretRef = EnvSecretRef | EnvFromSecretRef | VolumeSecretRef;

export function secretRefs(doc: Document, pod: PodSpec): SecretRef[] {
  const refs: SecretRef[] = [];
  for (const container of pod.containers) {
    forEachItemMap(doc, container.map, 'env', (item, _index, env) => {
      const valueFrom = getMap(doc, item.node, 'valueFrom');
      const keyRef = valueFrom && getMap(doc, valueFrom.node, 'secretKeyRef');
      const secretName = keyRef && getString(doc, keyRef.node, 'name');
      if (!valueFrom || !keyRef || !secretName) return;
      refs.push({
        type: 'env',
        secretName,
        pair: resolvePair(doc, valueFrom.node, 'secretKeyRef')!.node,
        aliased: container.aliased || env.aliased || item.aliased || valueFrom.aliased || keyRef.aliased,
        container,
        envItem: item.node,
        envName: getString(doc, item.node, 'name'),
        valueFromPair: resolvePair(doc, item.node, 'valueFrom')!.node,
        key: getString(doc, keyRef.node, 'key'),
      });
    });
    forEachItemMap(doc, container.map, 'envFrom', (item, index, envFrom) => {
      const secretRef = getMap(doc, item.node, 'secretRef');
      const secretName = secretRef && getString(doc, secretRef.node, 'name');
      if (!secretRef || !secretName) return;
      const aliased = container.aliased || envFrom.aliased || item.aliased || secretRef.aliased;
      const prefix = getString(doc, item.node, 'prefix') ?? '';
      refs.push({
        type: 'envFrom',
        secretName,
        pair: resolvePair(doc, item.node, 'secretRef')!.node,
        aliased,
        container,
        envFrom: envFrom.node,
        index,
        prefix,
      });
    });
  }
  forEachItemMap(doc, pod.map, 'volumes', (volume, _index, volumes) => {
    const secret = getMap(doc, volume.node, 'secret');
    const secretName = secret && getString(doc, secret.node, 'secretName');
    if (!secret || !secretName) return;
    const aliased = pod.aliased || volumes.aliased || volume.aliased || secret.aliased;
    refs.push({
      type: 'volume',
      secretName,
      pair: resolvePair(doc, volume.node, 'secret')!.node,
      aliased,
      volume: volume.node,
      secret: secret.node,
    });
  });
  return refs;
}
