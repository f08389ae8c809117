// Shared shapes of the manifest engine. Offsets are UTF-16 offsets into the linted text (end exclusive).
import type { Severity } from '../tokens/types';

export type RuleId = 'SAT001' | 'SAT002' | 'SAT003' | 'SAT004' | 'SAT005' | 'SAT006' | 'SAT007' | 'SAT008' | 'SAT009';

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface ManifestFix {
  title: string;
  edits: TextEdit[];
}

export interface ManifestFinding {
  rule: RuleId;
  severity: Severity;
  start: number;
  end: number;
  message: string;
  fixes: ManifestFix[];
}
