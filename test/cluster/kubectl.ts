// Test helpers: run the real kubectl against a local cluster, and call its API over real TLS.
import { execFile, spawn } from 'node:child_process';
import { request } from 'node:https';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl asynchronously (an in-process server must keep serving meanwhile). */
export function kubectl(kubeconfig: string, args: string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      args,
      { env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: 30_000, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Starts a long-running kubectl (e.g. `get -w`) and collects its output lines until stopped. */
export function kubectlStream(kubeconfig: string, args: string[]) {
  const child = spawn('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig } });
  const lines: string[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { lines, exited, stop: () => child.kill('SIGTERM') };
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request to the cluster, verifying its certificate against caPem. */
export function apiRequest(
  url: string,
  caPem: string,
  token: string,
  options: { method?: string; body?: unknown; accept?: string; rawBody?: Buffer | string; contentType?: string } = {},
): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ca: caPem,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: options.accept ?? 'application/json',
          ...(payload !== undefined ? { 'Content-Type': options.contentType ?? 'application/json' } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
