// MSBuild project files (*.csproj, *.fsproj, *.vbproj, Directory.Packages.props) and packages.config, through
// saxes: PackageReference / PackageVersion with a Version (or VersionOverride) attribute or child element, and
// packages.config <package id version>.
import type { SaxesTag } from 'saxes';
import { isClientLibrary, type DependencyEntry } from './types';
import { mavenSpec, xmlElements } from './jvm';

const REFERENCES = new Set(['PackageReference', 'PackageVersion', 'package']);

export function parseMsbuild(text: string): DependencyEntry[] {
  const entries: DependencyEntry[] = [];
  let open: string | undefined;
  const add = (name: string, version: string, start: number) =>
    entries.push({ ecosystem: 'nuget', name, spec: mavenSpec(version), start, end: start + version.length });
  xmlElements(text, {
    open(name, tag, tagEnd) {
      if (!REFERENCES.has(name)) return;
      const id = attribute(tag, 'Include') ?? attribute(tag, 'Update') ?? attribute(tag, 'id');
      open = id && isClientLibrary('nuget', id) ? id : undefined;
      const version = attribute(tag, 'VersionOverride') ?? attribute(tag, 'Version') ?? attribute(tag, 'version');
      if (!open || version === undefined) return;
      const tagStart = text.lastIndexOf('<' + name, tagEnd);
      const attributeAt = /\b(?:VersionOverride|Version|version)\s*=\s*["']/g;
      attributeAt.lastIndex = tagStart;
      let found: RegExpExecArray | null;
      while ((found = attributeAt.exec(text)) && found.index < tagEnd) {
        if (text.startsWith(version, found.index + found[0].length)) {
          add(open, version, found.index + found[0].length);
          break;
        }
      }
      open = undefined;
    },
    close(name, content) {
      if (name === 'Version' && open && content.text) add(open, content.text, content.start);
      if (REFERENCES.has(name)) open = undefined;
    },
  });
  return entries;
}

function attribute(tag: SaxesTag, name: string): string | undefined {
  const value = tag.attributes[name];
  return typeof value === 'string' ? value : undefined;
}
