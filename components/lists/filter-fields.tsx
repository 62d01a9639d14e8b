// The fields every list's filter form shares: a date range (from … to, `from`/`to` in the URL) and
// the submit button. Server components; the forms are plain GET forms.

const FIELD_INPUT = "rounded border border-slate-300 px-2 py-1.5 text-sm";

export function DateRangeFields({ fromLabel, toLabel, from, to, labelClassName = "flex flex-col" }: { fromLabel: string; toLabel: string; from?: string; to?: string; labelClassName?: string }) {
  return (
    <>
      <label className={labelClassName}>
        <span className="text-slate-600">{fromLabel}</span>
        <input type="date" name="from" defaultValue={from ?? ""} className={FIELD_INPUT} />
      </label>
      <label className={labelClassName}>
        <span className="text-slate-600">{toLabel}</span>
        <input type="date" name="to" defaultValue={to ?? ""} className={FIELD_INPUT} />
      </label>
    </>
  );
}

export function ApplyButton({ label, testId }: { label: string; testId?: string }) {
  return (
    <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-sm text-white hover:bg-blue-800" data-testid={testId}>
      {label}
    </button>
  );
}
