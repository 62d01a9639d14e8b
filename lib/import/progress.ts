import type { ImportProgress } from "./import-file";
import type { ImportRefusal } from "./import-error";

// Progress of running web imports, keyed by a job id the browser generates, so that the page can
// poll "rows loaded" while its upload request is still open. In memory: one portal process (the
// deployment runs one); a job is visible only to the user who started it and is forgotten a minute
// after it ends.

export type TJobPhase = "uploading" | "importing" | "done" | "refused" | "failed";

export interface ImportJob extends ImportProgress {
  userId: number;
  phase: TJobPhase;
  updatedAt: number;
}

const jobs = ((globalThis as unknown as { __importJobs?: Map<string, ImportJob> }).__importJobs ??= new Map());
const KEEP_MS = 60_000;

export function isJobId(id: unknown): id is string {
  return typeof id === "string" && /^[A-Za-z0-9-]{8,64}$/.test(id);
}

export function setJob(id: string, job: Omit<ImportJob, "updatedAt">): void {
  const now = Date.now();
  for (const [key, j] of jobs) if (j.phase !== "uploading" && j.phase !== "importing" && now - j.updatedAt > KEEP_MS) jobs.delete(key);
  jobs.set(id, { ...job, updatedAt: now });
}

export function getJob(id: string, userId: number): ImportJob | null {
  const job = jobs.get(id);
  return job && job.userId === userId ? job : null;
}

/** What the upload request answers: the batch and its counts, or the refusal to show. */
export type TImportResponse =
  | { ok: true; batchId: number; rowsRead: number; rowsLoaded: number; rowsInvalid: number; message: string }
  | { ok: false; refusal?: ImportRefusal; message: string };
