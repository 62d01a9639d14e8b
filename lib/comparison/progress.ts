import type { ComparisonProgress } from "./run";

// Progress of the runs started by this server process (the portal runs one process). The run row
// in the database says RUNNING/DONE/FAILED for everyone; this adds "step n of m" while it runs.

const globals = globalThis as unknown as { __comparisonProgress?: Map<number, ComparisonProgress> };

function store(): Map<number, ComparisonProgress> {
  globals.__comparisonProgress ??= new Map();
  return globals.__comparisonProgress;
}

export function setProgress(p: ComparisonProgress): void {
  store().set(p.runId, p);
}

export function getProgress(runId: number): ComparisonProgress | undefined {
  return store().get(runId);
}

export function clearProgress(runId: number): void {
  store().delete(runId);
}
