import type { ImportRefusal } from "./import-error";

// What the upload request answers: the batch and its counts, or the refusal to show. The progress
// of a running import (upload, then loading) is kept in the database: lib/jobs/progress.ts.

export function isJobId(id: unknown): id is string {
  return typeof id === "string" && /^[A-Za-z0-9-]{8,64}$/.test(id);
}

export type TImportResponse =
  | { ok: true; batchId: number; rowsRead: number; rowsLoaded: number; rowsInvalid: number; message: string }
  | { ok: false; refusal?: ImportRefusal; message: string };
