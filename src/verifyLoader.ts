// Loads signature checking (jose, and key parsing with node:crypto) on the first check: activation, decoding and the
// hover of a token nobody verifies never parse it. From dist/ it is the separate bundle dist/verify.js; under tsx
// (tests) the source.
import path from 'node:path';
import { requireLazyBundle } from './kubeLoader';

export type VerifyModule = typeof import('./core/tokens/verify');

let loaded: VerifyModule | undefined;

export function loadVerify(): VerifyModule {
  loaded ??= requireLazyBundle<VerifyModule>(
    path.join(__dirname, 'verify.js'),
    path.join(__dirname, 'core', 'tokens', 'verify'),
  );
  return loaded;
}
