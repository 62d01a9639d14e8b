"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { ImportRefusal } from "@/lib/import/import-error";
import type { TImportResponse } from "@/lib/import/progress";

// The upload form: sends the file as the raw body of one XHR (whose upload events give the bytes
// sent), and polls the job's progress on the server for the rows loaded. Texts come from the page
// (the catalogue is read on the server).

export interface UploadLabels {
  kind: string;
  file: string;
  replace: string;
  submit: string;
  upload: string;
  rows: string;
  refused: string;
  chooseFile: string;
  generic: string;
  line: string;
  column: string;
  reason: string;
  fileName: string;
  /** Catalogue text of each refusal reason ({value}, {batchId} filled from the refusal). */
  refusals: Record<string, string>;
}

interface State {
  busy: boolean;
  sent: number;
  total: number;
  readBytes: number;
  readTotal: number;
  rows: number;
  result: TImportResponse | null;
}

const IDLE: State = { busy: false, sent: 0, total: 0, readBytes: 0, readTotal: 0, rows: 0, result: null };

function fill(template: string, values: Record<string, string | number>): string {
  return Object.entries(values).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, String(v)), template);
}

function size(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function Bar({ value, label, testId }: { value: number; label: string; testId: string }) {
  const percent = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div className="space-y-1" data-testid={testId}>
      <div className="h-2 w-full overflow-hidden rounded bg-slate-200" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={label}>
        <div className="h-full bg-blue-600 transition-[width]" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-xs tabular-nums text-slate-600">{label}</p>
    </div>
  );
}

function RefusalDetail({ refusal, labels }: { refusal: ImportRefusal; labels: UploadLabels }) {
  return (
    <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs text-red-800" data-testid="import-refusal-detail">
      <dt>{labels.fileName}</dt>
      <dd className="break-all">{refusal.file}</dd>
      <dt>{labels.line}</dt>
      <dd data-testid="refusal-line">{refusal.line ?? "—"}</dd>
      <dt>{labels.column}</dt>
      <dd data-testid="refusal-column">{refusal.column ?? "—"}</dd>
      <dt>{labels.reason}</dt>
      <dd data-testid="refusal-reason">
        {(labels.refusals[refusal.reason] ?? labels.generic).replaceAll("{value}", refusal.value ?? "").replaceAll("{batchId}", String(refusal.batchId ?? ""))}
      </dd>
    </dl>
  );
}

export function UploadForm({ kinds, labels }: { kinds: { value: string; label: string }[]; labels: UploadLabels }) {
  const router = useRouter();
  const [state, setState] = useState<State>(IDLE);
  const poll = useRef<ReturnType<typeof setInterval> | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  // A refused or missing file marks the file field (aria-invalid, red outline) and takes the focus;
  // the kind and the chosen file stay as they were, so the clerk fixes the file and submits again.
  const fileInvalid = Boolean(state.result && !state.result.ok && !state.busy);
  useEffect(() => {
    if (fileInvalid) {
      fileInput.current?.scrollIntoView({ block: "center", behavior: "smooth" });
      fileInput.current?.focus({ preventScroll: true });
    }
  }, [fileInvalid, state.result]);

  function stopPolling() {
    if (poll.current) clearInterval(poll.current);
    poll.current = null;
  }

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) {
      setState({ ...IDLE, result: { ok: false, message: labels.chooseFile } });
      return;
    }
    // Not crypto.randomUUID: it needs a secure context, and the portal may be served over plain HTTP on an intranet.
    const job = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
    const query = new URLSearchParams({ kind: String(form.get("kind")), job, replace: form.get("replace") ? "1" : "0" });
    setState({ ...IDLE, busy: true, total: file.size });
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/imports?${query}`);
    xhr.setRequestHeader("x-file-name", encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => setState((s) => ({ ...s, sent: e.loaded, total: e.total || s.total }));
    xhr.onload = () => {
      stopPolling();
      let result: TImportResponse;
      try {
        result = JSON.parse(xhr.responseText) as TImportResponse;
      } catch {
        result = { ok: false, message: labels.generic };
      }
      setState((s) => ({ ...s, busy: false, sent: s.total, result, rows: result.ok ? result.rowsLoaded : s.rows, readBytes: result.ok ? s.readTotal || s.total : s.readBytes }));
      if (result.ok) router.refresh();
    };
    xhr.onerror = () => {
      stopPolling();
      setState((s) => ({ ...s, busy: false, result: { ok: false, message: labels.generic } }));
    };
    poll.current = setInterval(async () => {
      const res = await fetch(`/api/imports?job=${job}`, { cache: "no-store" }).catch(() => null);
      if (!res?.ok) return;
      const p = (await res.json()) as { phase: string; bytes: number; totalBytes: number; rows: number };
      if (p.phase === "importing") setState((s) => (s.busy ? { ...s, readBytes: p.bytes, readTotal: p.totalBytes, rows: p.rows } : s));
    }, 500);
    xhr.send(file);
  }

  const input = "w-full rounded border border-slate-300 px-2 py-1.5 text-sm sm:w-auto";
  const { result } = state;
  return (
    <form onSubmit={submit} className="space-y-3" data-testid="import-form">
      <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end">
        <label className="flex flex-col gap-1 text-sm">
          {labels.kind}
          <select name="kind" className={input} disabled={state.busy} data-testid="import-kind">
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          {labels.file}
          <input
            ref={fileInput}
            type="file"
            name="file"
            accept=".csv,.xlsx"
            className={`${input} file:mr-2 file:rounded file:border-0 file:bg-slate-100 file:px-2 file:py-1`}
            disabled={state.busy}
            aria-invalid={fileInvalid || undefined}
            aria-describedby={fileInvalid ? "import-result-message" : undefined}
            data-testid="import-file"
          />
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="replace" value="1" disabled={state.busy} data-testid="import-replace" />
          {labels.replace}
        </label>
        <button type="submit" disabled={state.busy} className="rounded bg-blue-700 px-4 py-2 text-sm text-white hover:bg-blue-800 disabled:opacity-60" data-testid="import-submit">
          {labels.submit}
        </button>
      </div>
      {(state.busy || state.sent > 0) && (
        <div className="space-y-2">
          <Bar value={state.total ? state.sent / state.total : 0} label={fill(labels.upload, { done: size(state.sent), total: size(state.total) })} testId="upload-progress" />
          <Bar value={state.readTotal ? state.readBytes / state.readTotal : 0} label={fill(labels.rows, { rows: state.rows.toLocaleString() })} testId="rows-progress" />
        </div>
      )}
      <div aria-live="polite" data-testid="import-result" id="import-result-message">
        {result?.ok && <p className="rounded bg-green-50 p-3 text-sm text-green-800">{result.message}</p>}
        {result && !result.ok && (
          <div className="rounded bg-red-50 p-3 text-sm text-red-800" role="alert">
            {result.refusal && <p className="font-medium">{labels.refused}</p>}
            <p data-testid="import-refusal">{result.message}</p>
            {result.refusal && <RefusalDetail refusal={result.refusal} labels={labels} />}
          </div>
        )}
      </div>
    </form>
  );
}
