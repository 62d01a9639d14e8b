import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { limitedTo, UploadTooLarge } from "@/lib/http/limited-stream";

// Issue 11 §7: the upload's size limit is enforced while streaming; nothing past it is written.

async function pipe(chunks: Buffer[], max: number): Promise<{ written: number; error: unknown }> {
  let written = 0;
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      written += chunk.length;
      done();
    },
  });
  const error = await pipeline(Readable.from(chunks), limitedTo(max), sink).then(
    () => null,
    (e: unknown) => e,
  );
  return { written, error };
}

describe("upload size limit while streaming", () => {
  it("a body within the limit passes whole", async () => {
    expect(await pipe([Buffer.alloc(600), Buffer.alloc(400)], 1000)).toEqual({ written: 1000, error: null });
  });
  it("the chunk that crosses the limit fails the pipeline and is not written", async () => {
    const { written, error } = await pipe([Buffer.alloc(600), Buffer.alloc(600), Buffer.alloc(600)], 1000);
    expect(error).toBeInstanceOf(UploadTooLarge);
    expect(written).toBe(600);
  });
});
