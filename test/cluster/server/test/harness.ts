// What the local API server's own tests share: polling for an eventual state, and kubectl's bound-token arguments.

/** Polls `probe` until it gives a value; throws after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `kubectl create token ACCOUNT -n NAMESPACE --bound-object-kind KIND --bound-object-name NAME`. */
export const boundTokenArgs = (account: string, namespace: string, kind: string, name: string): string[] => [
  'create',
  'token',
  account,
  '-n',
  namespace,
  '--bound-object-kind',
  kind,
  '--bound-object-name',
  name,
];
