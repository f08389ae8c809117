// Manifest bytes to text and back: UTF-8 (with or without BOM), and UTF-16/UTF-32 when a BOM says so. A fix writes a
// file back in the encoding it was read in.
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

export type Decoded = { text: string; encoding: TextEncodingName } | { error: string };

const BOMS: [TextEncodingName, number[]][] = [
  // UTF-32LE first: its BOM starts like UTF-16LE's.
  ['utf-32le', [0xff, 0xfe, 0x00, 0x00]],
  ['utf-32be', [0x00, 0x00, 0xfe, 0xff]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

/** The text (a UTF-8 BOM is kept as U+FEFF, as editors show it), or why it is not a text file we can read. */
export function decodeManifest(bytes: Uint8Array): Decoded {
  const bom = BOMS.find(([, mark]) => mark.every((byte, i) => bytes[i] === byte));
  try {
    if (!bom) {
      if (bytes.includes(0)) return { error: 'not a text file (NUL bytes, no UTF-16/UTF-32 byte order mark)' };
      return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
    }
    const [encoding, mark] = bom;
    const body = bytes.subarray(mark.length);
    const text = encoding.startsWith('utf-16')
      ? new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body)
      : decodeUtf32(body, encoding === 'utf-32le');
    return { text: '\uFEFF' + text, encoding };
  } catch {
    return { error: `not valid ${bom?.[0].toUpperCase() ?? 'UTF-8'} text` };
  }
}

function decodeUtf32(body: Uint8Array, littleEndian: boolean): string {
  if (body.length % 4 !== 0) throw new RangeError('truncated UTF-32');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const parts: string[] = [];
  for (let i = 0; i < body.length; i += 4) parts.push(String.fromCodePoint(view.getUint32(i, littleEndian)));
  return parts.join('');
}

/** The bytes of `text` in `encoding`; a leading U+FEFF becomes that encoding's BOM. */
export function encodeManifest(text: string, encoding: TextEncodingName): Uint8Array {
  if (encoding === 'utf-8') return new TextEncoder().encode(text);
  const codePoints = [...text].map((char) => char.codePointAt(0)!);
  if (encoding.startsWith('utf-32')) {
    const view = new DataView(new ArrayBuffer(codePoints.length * 4));
    codePoints.forEach((point, i) => view.setUint32(i * 4, point, encoding === 'utf-32le'));
    return new Uint8Array(view.buffer);
  }
  const view = new DataView(new ArrayBuffer(text.length * 2));
  for (let i = 0; i < text.length; i++) view.setUint16(i * 2, text.charCodeAt(i), encoding === 'utf-16le');
  return new Uint8Array(view.buffer);
}
