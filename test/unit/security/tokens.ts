// Hostile tokens shared by the security tests.
import { CompactSign } from 'jose';
import { generateKeys } from '../core/tokens/mint';

/** A validly signed token whose `deep` claim nests `depth` arrays: tiny on the wire, deadly for recursive code. */
export async function deeplyNestedToken(depth: number): Promise<string> {
  const keys = await generateKeys();
  // Written by hand: jose's claim builder (and JSON.stringify) would itself overflow the stack on such a value.
  const payload = `{"sub":"system:serviceaccount:team-a:builder","deep":${'['.repeat(depth)}1${']'.repeat(depth)}}`;
  return new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: keys.alg, kid: keys.kid })
    .sign(keys.privateKey);
}
