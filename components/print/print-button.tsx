"use client";

/** The screen-only toolbar button that opens the browser's print dialog. */
export function PrintButton({ label }: { label: string }) {
  return (
    <button type="button" onClick={() => window.print()} className="rounded bg-blue-700 px-3 py-1.5 text-sm text-white hover:bg-blue-800" data-testid="print-button">
      {label}
    </button>
  );
}
