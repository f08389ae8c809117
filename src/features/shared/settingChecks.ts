// Checks a setting's value against its declaration in package.json (`contributes.configuration`): type, range, enum,
// pattern, array items, object properties. VS Code validates only what is typed in its settings editor; a
// .vscode/settings.json can hold anything. No vscode import: unit-tested.

/** The part of JSON Schema package.json uses for our settings. */
export interface SettingSchema {
  type?: 'boolean' | 'string' | 'number' | 'integer' | 'array' | 'object';
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: readonly unknown[];
  pattern?: string;
  patternErrorMessage?: string;
  items?: SettingSchema;
  properties?: Record<string, SettingSchema>;
  additionalProperties?: boolean;
}

/** Why `value` does not fit `schema`, in words a user can act on; undefined when it fits. */
export function settingProblem(value: unknown, schema: SettingSchema): string | undefined {
  switch (schema.type) {
    case 'boolean':
      if (typeof value !== 'boolean') return 'expected true or false';
      break;
    case 'string':
      if (typeof value !== 'string') return 'expected a string';
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value))
        return schema.patternErrorMessage ?? 'not in the expected form';
      break;
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'expected a number';
      if (schema.type === 'integer' && !Number.isInteger(value)) return 'expected a whole number';
      const range = `${schema.minimum ?? '…'} to ${schema.maximum ?? '…'}`;
      if (
        (schema.minimum !== undefined && value < schema.minimum) ||
        (schema.maximum !== undefined && value > schema.maximum)
      )
        return `out of range (${range})`;
      break;
    }
    case 'array':
      if (!Array.isArray(value)) return 'expected a list';
      if (schema.items) {
        for (const [index, item] of value.entries()) {
          const problem = settingProblem(item, schema.items);
          if (problem) return `entry ${index + 1}: ${problem}`;
        }
      }
      break;
    case 'object':
      if (!value || typeof value !== 'object' || Array.isArray(value)) return 'expected an object';
      for (const [key, item] of Object.entries(value)) {
        const property = schema.properties?.[key];
        if (!property) {
          if (schema.additionalProperties === false) return `unknown key "${key}"`;
          continue;
        }
        const problem = settingProblem(item, property);
        if (problem) return `"${key}": ${problem}`;
      }
      break;
  }
  if (schema.enum && !schema.enum.includes(value)) return `expected one of ${schema.enum.map(String).join(', ')}`;
  return undefined;
}
