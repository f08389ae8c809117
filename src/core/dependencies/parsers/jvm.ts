// pom.xml through saxes (a conforming streaming XML parser that reports positions) with ${property} resolution,
// and Gradle build files, which need a Groovy or Kotlin parser: there only string literals in dependency
// notation are read ("group:name:version" and group/name/version maps), never computed versions.
import { SaxesParser, type SaxesTag } from 'saxes';
import { isClientLibrary, type DependencyEntry } from './types';
import type { VersionSpec } from '../versions';

export interface XmlText {
  text: string;
  start: number;
  end: number;
}

interface PomDependency {
  groupId?: XmlText;
  artifactId?: XmlText;
  version?: XmlText;
}

export function parsePom(text: string): DependencyEntry[] {
  const dependencies: PomDependency[] = [];
  const properties = new Map<string, XmlText>();
  const path: string[] = [];
  let current: PomDependency | undefined;
  xmlElements(text, {
    open(name) {
      path.push(name);
      if (name === 'dependency') current = {};
    },
    close(name, content) {
      const parent = path[path.length - 2];
      if (current && parent === 'dependency' && (name === 'groupId' || name === 'artifactId' || name === 'version'))
        current[name] = content;
      if (parent === 'properties') properties.set(name, content);
      if (name === 'dependency' && current) {
        dependencies.push(current);
        current = undefined;
      }
      path.pop();
    },
  });
  return dependencies.flatMap(({ groupId, artifactId, version }) => {
    const name = `${groupId?.text}:${artifactId?.text}`;
    if (!groupId || !artifactId || !version || !isClientLibrary('maven', name)) return [];
    const property = /^\$\{([^}]+)\}$/.exec(version.text);
    const resolved = property ? properties.get(property[1]) : version;
    if (!resolved || resolved.text.includes('${')) return [];
    return [
      { ecosystem: 'maven' as const, name, spec: mavenSpec(resolved.text), start: version.start, end: version.end },
    ];
  });
}

/**
 * Streams the elements of an XML document through saxes: each element's tag when it opens and its text content
 * (trimmed, with its span in the source) when it closes. Spans come from the source between the end of the opening
 * tag and the start of the closing one, so entities do not shift them. Malformed XML stops the walk where it breaks.
 */
export function xmlElements(
  text: string,
  handlers: { open?(name: string, tag: SaxesTag, tagEnd: number): void; close?(name: string, content: XmlText): void },
): void {
  const parser = new SaxesParser({ position: true });
  const opened: number[] = [];
  parser.on('opentag', (tag) => {
    opened.push(parser.position);
    handlers.open?.(tag.name, tag, parser.position);
  });
  parser.on('closetag', (tag) => {
    const contentStart = opened.pop() ?? 0;
    // A self-closing tag has no content; otherwise the closing tag starts at the last "</" before the position.
    const closeStart = tag.isSelfClosing ? contentStart : text.lastIndexOf('</', parser.position - 1);
    const raw = text.slice(contentStart, Math.max(contentStart, closeStart));
    const lead = raw.length - raw.trimStart().length;
    const value = raw.trim();
    handlers.close?.(tag.name, { text: value, start: contentStart + lead, end: contentStart + lead + value.length });
  });
  try {
    parser.write(text).close();
  } catch {
    // Malformed XML: what was read before the error still counts.
  }
}

/** A bare Maven version is what gets built (a "soft requirement"); brackets and Gradle's "8.+" are ranges. */
export function mavenSpec(version: string): VersionSpec {
  const strict = version.replace(/!!$/, '');
  return /^[[(\]]|\+$/.test(strict) ? { range: strict } : { exact: strict };
}

export function parseGradle(text: string): DependencyEntry[] {
  const entries: DependencyEntry[] = [];
  const coordinate = /(["'])([\w.-]+):([\w.-]+):([^"'$@:\s]+)(?:@\w+)?\1/g;
  for (const found of text.matchAll(coordinate)) {
    const name = `${found[2]}:${found[3]}`;
    if (!isClientLibrary('maven', name)) continue;
    const start = found.index + 1 + found[2].length + found[3].length + 2;
    entries.push({ ecosystem: 'maven', name, spec: mavenSpec(found[4]), start, end: start + found[4].length });
  }
  const map =
    /group\s*[:=]\s*(["'])([\w.-]+)\1\s*,\s*name\s*[:=]\s*(["'])([\w.-]+)\3\s*,\s*version\s*[:=]\s*(["'])([^"'$]+)\5/g;
  for (const found of text.matchAll(map)) {
    const name = `${found[2]}:${found[4]}`;
    if (!isClientLibrary('maven', name)) continue;
    const start = found.index + found[0].lastIndexOf(found[6]);
    entries.push({ ecosystem: 'maven', name, spec: mavenSpec(found[6]), start, end: start + found[6].length });
  }
  return entries.sort((a, b) => a.start - b.start);
}
