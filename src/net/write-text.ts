/**
 * Writes a long text answer in slices, each after the socket took the one before (issue 16). `res.end(text)` of a
 * 1.3 MB PullEvseData page has Node copy it whole to UTF-8 and TLS encrypt it whole into buffers held until the client
 * has read them: native memory the size of the page per answer, which malloc kept as RSS (the memory bench's hub grew
 * to 930 MiB over pulled pages). In slices at most about one slice waits in TLS at a time; the bytes on the wire are
 * the same.
 */
import type { Writable } from 'node:stream';

/** Slice length in UTF-16 code units (at most 192 KiB of UTF-8). */
export const WRITE_SLICE_CHARS = 64 * 1024;

/** The part of a response writeText needs (a ServerResponse is one). */
export type TextSink = Pick<Writable, 'write' | 'end' | 'once'>;

/** Writes `text` and ends `sink`: at once when short, else slice by slice, waiting for 'drain' when asked to. */
export function writeText(sink: TextSink, text: string, sliceChars = WRITE_SLICE_CHARS): void {
  if (text.length <= sliceChars) {
    sink.end(text);
    return;
  }
  let at = 0;
  const next = (): void => {
    while (at < text.length) {
      let end = Math.min(at + sliceChars, text.length);
      // Each slice is encoded to UTF-8 on its own: half a surrogate pair would become U+FFFD on the wire.
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
      const slice = text.slice(at, end);
      at = end;
      if (at === text.length) sink.end(slice);
      // A connection closed meanwhile never drains: the closure goes away with the response.
      else if (!sink.write(slice)) {
        sink.once('drain', next);
        return;
      }
    }
  };
  next();
}
