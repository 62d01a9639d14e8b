import { Transform } from "node:stream";

/** The upload went past its limit: the pipeline stops reading it. */
export class UploadTooLarge extends Error {
  constructor(public readonly limit: number) {
    super(`upload larger than ${limit} bytes`);
    this.name = "UploadTooLarge";
  }
}

/**
 * Passes bytes through until `max`; the chunk that crosses it fails the pipeline instead of being
 * written, so a stream that lies about (or omits) its Content-Length is cut off while streaming.
 */
export function limitedTo(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) done(new UploadTooLarge(max));
      else done(null, chunk);
    },
  });
}
