// SARIF logs checked against the SARIF 2.1.0 JSON schema (the OASIS schema as published to SchemaStore, shipped in
// @microsoft/jest-sarif) with Ajv's draft-04 validator: what code scanning and other SARIF consumers read.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';

const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
let validate: ReturnType<Ajv['compile']> | undefined;

/** Fails with every schema violation (instance path and message) when `log` is not valid SARIF 2.1.0. */
export function assertValidSarif(log: unknown): void {
  // The schema's language pattern is not valid with the `u` flag: compiled as JSON Schema draft-04 means, without it.
  validate ??= new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(
    JSON.parse(readFileSync(schemaPath, 'utf8')),
  );
  const valid = validate(log);
  const errors = (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
  assert.ok(valid, `not valid SARIF 2.1.0:\n${errors.join('\n')}`);
}
