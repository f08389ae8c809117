// The pure half of a watch: splitting the stream into lines as bytes arrive and reading each line as an event.
import type http from 'node:http';
import { StringDecoder } from 'node:string_decoder';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** No real object comes near this (etcd's limit is 1.5 MB); a line that does is a broken stream, not a reason to fill memory. */
export const MAX_EVENT_CHARS = 8 * 1024 * 1024;

/** An error answer's body, for its Status message; bounded, since it is only ever quoted in one line. */
export function readBody(incoming: http.IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}

export type WatchEvent =
  | { type: WatchEventType | 'BOOKMARK'; object: unknown; resourceVersion: string | null }
  | { type: 'ERROR'; status: { code?: number; message?: string } };

/** One line of a watch stream; null when it is not a watch event at all. Unknown event types are malformed too. */
export function parseWatchEvent(line: string): WatchEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const { type, object } = parsed as { type?: unknown; object?: unknown };
  if (!object || typeof object !== 'object') return null;
  if (type === 'ERROR') {
    const { code, message } = object as { code?: unknown; message?: unknown };
    return {
      type,
      status: {
        code: typeof code === 'number' ? code : undefined,
        message: typeof message === 'string' ? message : undefined,
      },
    };
  }
  if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED' && type !== 'BOOKMARK') return null;
  const version = (object as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion;
  return { type, object, resourceVersion: typeof version === 'string' && version !== '' ? version : null };
}

/**
 * Splits a byte stream into lines as chunks arrive: UTF-8 sequences cut between chunks are kept whole, a line is
 * joined once (linear however many chunks it spans), blank lines are skipped. Throws when a line outgrows the limit.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private parts: string[] = [];
  private pendingChars = 0;

  constructor(private readonly maxLineChars: number) {}

  push(chunk: Buffer): string[] {
    const text = this.decoder.write(chunk);
    const lines: string[] = [];
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      this.parts.push(text.slice(start, newline));
      const line = this.parts.join('');
      this.parts = [];
      this.pendingChars = 0;
      start = newline + 1;
      this.checkLength(line.length);
      if (line.trim() !== '') lines.push(line);
    }
    const rest = text.slice(start);
    if (rest) {
      this.parts.push(rest);
      this.pendingChars += rest.length;
      this.checkLength(this.pendingChars);
    }
    return lines;
  }

  private checkLength(chars: number): void {
    if (chars > this.maxLineChars) throw new RangeError(`a line is longer than ${this.maxLineChars} characters`);
  }
}
