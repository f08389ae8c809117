// Rule SAT202 on real-shaped sources per language, parsed by the real tree-sitter grammars: a token read once and
// kept is flagged ("line:column where"), a read per request is not, and text that only looks like a read
// (comments, strings, other paths) is not either.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintSourceFile } from '../../../../src/code/sources';
import { mountFor, tokenMounts } from '../../../../src/core/appCode/mounts';

async function flagged(fileName: string, text: string, tokenEnvNames?: string[]): Promise<string[]> {
  const findings = await lintSourceFile(fileName, text, { tokenEnvNames });
  return findings.map((f) => {
    const before = text.slice(0, f.start);
    const where = /read (.*?)(?: and kept)?[.:]/.exec(f.message)?.[1];
    return `${before.split('\n').length}:${f.start - before.lastIndexOf('\n')} ${where}`;
  });
}

const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

describe('SAT202 Python', () => {
  it('flags a module-level read and one in __init__, not one per request', async () => {
    const source = `import os
from pathlib import Path

TOKEN_PATH = "${SA_TOKEN}"
TOKEN = open(TOKEN_PATH).read().strip()
# open("${SA_TOKEN}").read() in a comment is no read
HELP = "open('${SA_TOKEN}').read()"

class Client:
    def __init__(self):
        self.token = Path("${SA_TOKEN}").read_text()

def handler(request):
    with open(TOKEN_PATH) as f:
        return call_api(f.read())

def ca():
    return open("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt").read()

API_TOKEN = os.environ["KUBE_TOKEN"]
other = os.environ.get("HOME")
`;
    assert.deepEqual(await flagged('app/main.py', source), [
      '5:9 at module level',
      '11:22 in __init__',
      '20:13 at module level',
    ]);
  });

  it('reads under a loop at module level are per turn, not kept', async () => {
    const source = `import time\nwhile True:\n    token = open("${SA_TOKEN}").read()\n    time.sleep(60)\n`;
    assert.deepEqual(await flagged('poll.py', source), []);
  });
});

describe('SAT202 Go', () => {
  it('flags package-level and init() reads, and a main() read kept in a package variable', async () => {
    const source = `package main

import (
\t"net/http"
\t"os"
)

const tokenFile = "${SA_TOKEN}"

var bootToken, _ = os.ReadFile(tokenFile)

var token []byte

func init() {
\tazure, _ := os.ReadFile(os.Getenv("AZURE_FEDERATED_TOKEN_FILE"))
\t_ = azure
}

func main() {
\ttoken, _ = os.ReadFile(tokenFile)
\tlocal, _ := os.ReadFile(tokenFile)
\t_ = local
\thttp.HandleFunc("/", handle)
}

func handle(w http.ResponseWriter, r *http.Request) {
\tt, _ := os.ReadFile(tokenFile)
\t_ = t
}
`;
    assert.deepEqual(await flagged('cmd/main.go', source), [
      '10:20 in a package-level variable',
      '15:14 in init()',
      '20:13 in main(), kept in a package variable',
    ]);
  });
});

describe('SAT202 JavaScript and TypeScript', () => {
  it('flags a top-level readFileSync and a constructor read, not one inside a handler', async () => {
    const source = `import { readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';

const TOKEN_PATH = '${SA_TOKEN}';
const token = readFileSync(TOKEN_PATH, 'utf8');
const apiToken = process.env.KUBE_TOKEN;

export class Api {
  private token: string;
  constructor() {
    this.token = readFileSync('${SA_TOKEN}', 'utf8');
  }
}

export async function handler(): Promise<string> {
  return fs.readFile(TOKEN_PATH, 'utf8');
}

const message = \`read \${TOKEN_PATH} later\`;
`;
    assert.deepEqual(await flagged('src/api.ts', source), [
      '5:15 at module top level',
      '6:18 at module top level',
      '11:18 in a constructor',
    ]);
    const js = `const fs = require('fs');\nmodule.exports = { token: fs.readFileSync("${SA_TOKEN}") };\n`;
    assert.deepEqual(await flagged('index.js', js), ['2:27 at module top level']);
    const tsx = `const t = process.env["SA_TOKEN"];\nexport const App = () => <div>{process.env.KUBE_TOKEN}</div>;\n`;
    assert.deepEqual(await flagged('App.tsx', tsx), ['1:11 at module top level']);
  });
});

describe('SAT202 Java', () => {
  it('flags field initializers, static blocks and constructors, not methods', async () => {
    const source = `package example;

import java.nio.file.Files;
import java.nio.file.Path;

public class TokenSource {
    private static final String TOKEN_PATH = "${SA_TOKEN}";
    private static final String TOKEN = read(TOKEN_PATH);
    private final String cached;
    private static String fromStatic;

    static {
        try { fromStatic = Files.readString(Path.of(TOKEN_PATH)); } catch (Exception e) { throw new RuntimeException(e); }
    }

    public TokenSource() throws Exception {
        this.cached = new String(Files.readAllBytes(Path.of("${SA_TOKEN}")));
    }

    public String current() throws Exception {
        return Files.readString(Path.of(TOKEN_PATH));
    }

    private static final String ENV = System.getenv("KUBE_TOKEN");
}
`;
    assert.deepEqual(await flagged('src/main/java/example/TokenSource.java', source), [
      '13:28 in a field initializer',
      '17:34 in a constructor',
      '24:39 in a field initializer',
    ]);
  });
});

describe('SAT202 shell', () => {
  it('flags a token read into a variable that a loop keeps using, not a one-shot script', async () => {
    const looping = `#!/bin/sh
TOKEN=$(cat ${SA_TOKEN})
while true; do
  curl -sS -H "Authorization: Bearer $TOKEN" https://kubernetes.default.svc/api
  sleep 30
done
`;
    const [finding] = await flagged('watch.sh', looping);
    assert.match(finding, /^2:9 at the top of the script and used in the loop "while true; do"/);
    const oneShot = `#!/bin/bash\nTOKEN=$(cat ${SA_TOKEN})\ncurl -H "Authorization: Bearer $TOKEN" https://kubernetes.default.svc/api\n`;
    assert.deepEqual(await flagged('once.sh', oneShot), []);
    const perTurn = `while true; do\n  TOKEN=$(cat ${SA_TOKEN})\n  curl -H "Authorization: Bearer $TOKEN" x\ndone\n`;
    assert.deepEqual(await flagged('poll.bash', perTurn), []);
  });
});

describe('SAT202 messages and links', () => {
  it('says what to do, and links to the manifest that mounts the token', async () => {
    const [file] = await lintSourceFile('a.py', `T = open("/var/run/secrets/tokens/vault-token").read()\n`);
    assert.match(
      file.message,
      /^Token file \/var\/run\/secrets\/tokens\/vault-token is read at module level and kept\./,
    );
    assert.match(file.message, /Read the file on each request .* in-cluster configuration/);
    const [env] = await lintSourceFile('a.py', `import os\nT = os.environ["API_TOKEN"]\n`, {
      tokenEnvNames: ['API_TOKEN'],
    });
    assert.match(env.message, /^The token comes from environment variable API_TOKEN/);

    const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - name: API_TOKEN
              valueFrom: {secretKeyRef: {name: app-token-abcde, key: token}}
          volumeMounts:
            - name: vault
              mountPath: /var/run/secrets/tokens
`;
    const mounts = tokenMounts(manifest, 'deploy/app.yaml');
    assert.equal(mountFor(file, mounts)?.value, '/var/run/secrets/tokens');
    assert.equal(mountFor(env, mounts)?.value, 'API_TOKEN');
    assert.equal(manifest.slice(mountFor(file, mounts)!.start, mountFor(file, mounts)!.end), '/var/run/secrets/tokens');
  });

  it('skips files that cannot read a token without parsing them, and survives broken code', async () => {
    assert.deepEqual(await lintSourceFile('big.py', 'x = 1\n'.repeat(1000)), []);
    assert.deepEqual(await lintSourceFile('README.md', `open("${SA_TOKEN}").read()`), []);
    for (const file of ['a.py', 'a.go', 'a.ts', 'a.java', 'a.sh', 'a.tsx'])
      await assert.doesNotReject(lintSourceFile(file, `((( "${SA_TOKEN}" open( readFileSync( {{{ \u0000`));
  });
});
