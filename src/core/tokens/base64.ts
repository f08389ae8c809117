// Base64 text to a string, in Node and in a browser's web worker (vscode.dev). Node's Buffer decodes natively and
// is what the decode bench measures (jose's decoders cost 1.6× more on Node 20); a web worker has no Buffer, so
// there the standard atob and TextDecoder do it. Both paths give the same result (unit-tested against each other).

export type TextEncoding = 'utf8' | 'latin1';

interface Decoded {
  text: string;
  /** How many bytes the base64 held: callers compare it with the length the input implies. */
  byteLength: number;
}

type NodeBuffer = {
  from(text: string, encoding: 'base64'): { length: number; toString(encoding: TextEncoding): string };
};

const nodeBuffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;

/**
 * The bytes of standard or url-safe base64 (padding optional) read as `encoding`, or undefined when the input holds
 * a character neither alphabet has (Buffer would skip it: callers check `byteLength` to catch that).
 */
export function decodeBase64(base64: string, encoding: TextEncoding): Decoded | undefined {
  return nodeBuffer ? decodeWithBuffer(nodeBuffer, base64, encoding) : decodeWithAtob(base64, encoding);
}

function decodeWithBuffer(buffer: NodeBuffer, base64: string, encoding: TextEncoding): Decoded {
  const bytes = buffer.from(base64, 'base64');
  return { text: bytes.toString(encoding), byteLength: bytes.length };
}

/** Keeps a byte order mark, as Buffer does. */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** The browser path (exported for the test that holds it equal to Buffer's). */
export function decodeWithAtob(base64: string, encoding: TextEncoding): Decoded | undefined {
  let binary: string;
  try {
    binary = atob(base64.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return undefined;
  }
  if (encoding === 'latin1') return { text: binary, byteLength: binary.length };
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return { text: utf8.decode(bytes), byteLength: bytes.length };
}
