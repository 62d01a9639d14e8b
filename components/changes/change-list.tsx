import Link from "next/link";
import { ActionForm } from "@/components/ui/action-form";
import { decideChangeAction } from "@/lib/changes/actions";
import { CHANGE_FIELDS, type TChanges } from "@/lib/changes/schema";
import type { TChangeState } from "@/lib/changes/workflow";
import type { Translate } from "@/lib/i18n/messages";
import { maskIdNumber } from "@/lib/ids/id-number";
import { fieldLabel, valueLabel } from "@/lib/registry/labels";

// A list of change requests (变更登记): current vs proposed value per field, the evidence, the state,
// and — when the viewer may decide on it now — the approve/return form with the version they saw.

export interface ChangeCardData {
  id: number;
  person?: { label: string; href: string };
  changes: TChanges;
  evidence: string;
  sensitive: boolean;
  state: TChangeState;
  comment: string | null;
  version: number;
  requestedBy: string | null;
  createdAt: Date;
  decidable: boolean;
  /** Requested by the viewer (four eyes: someone else decides). */
  ownRequest?: boolean;
}

/** In lists, ID numbers (the old and the proposed one) are masked like every other list's. */
function shown(t: Translate, field: (typeof CHANGE_FIELDS)[number], value: string | null, maskIds: boolean): string {
  return field === "idNumber" && maskIds ? maskIdNumber(value ?? "") : valueLabel(t, field, value);
}

export function ChangeList({ t, rows, testId, maskIds = true }: { t: Translate; rows: ChangeCardData[]; testId?: string; maskIds?: boolean }) {
  if (rows.length === 0) return <p className="text-sm text-slate-500">{t("change.none")}</p>;
  const input = "rounded border border-slate-300 px-2 py-1 text-sm";
  return (
    <ul className="space-y-3" data-testid={testId}>
      {rows.map((r) => (
        <li key={r.id} className="rounded-lg border border-slate-200 bg-white p-3" data-testid={`change-${r.id}`}>
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <span className="font-mono text-slate-500">#{r.id}</span>
            {r.person && (
              <Link href={r.person.href} className="text-blue-700 hover:underline">
                {r.person.label}
              </Link>
            )}
            <span className="rounded bg-blue-50 px-2 py-0.5 text-blue-800" data-testid="change-state">
              {t(`change.state.${r.state}`)}
            </span>
            <span className={`rounded px-2 py-0.5 text-xs ${r.sensitive ? "bg-amber-100 text-amber-800" : "bg-slate-100 text-slate-600"}`}>{r.sensitive ? t("change.sensitive") : t("change.basic")}</span>
            {r.ownRequest && (
              <span className="rounded bg-amber-50 px-2 py-0.5 text-xs text-amber-800" data-testid="own-request">
                {t("change.ownRequest")}
              </span>
            )}
            <span className="text-slate-500">
              {t("change.requestedBy")} {r.requestedBy ?? "—"} · {r.createdAt.toLocaleString("zh-CN")}
            </span>
          </div>
          <div className="mt-2 overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="text-left text-slate-500">
                <tr>
                  <th className="py-1 pr-3 font-normal">{t("registry.field")}</th>
                  <th className="py-1 pr-3 font-normal">{t("change.current")}</th>
                  <th className="py-1 font-normal">{t("change.proposed")}</th>
                </tr>
              </thead>
              <tbody>
                {CHANGE_FIELDS.filter((f) => r.changes[f]).map((f) => (
                  <tr key={f} className="border-t border-slate-100">
                    <td className="py-1 pr-3">{fieldLabel(t, f)}</td>
                    <td className="py-1 pr-3 text-slate-500">{shown(t, f, r.changes[f]!.from, maskIds) || "—"}</td>
                    <td className="py-1 font-medium">{shown(t, f, r.changes[f]!.to, maskIds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="mt-2 text-sm">
            <span className="text-slate-500">{t("change.evidence")}：</span>
            {r.evidence}
          </p>
          {r.comment && (
            <p className="mt-1 text-sm">
              <span className="text-slate-500">{t("review.comment")}：</span>
              {r.comment}
            </p>
          )}
          {r.decidable && (
            <ActionForm action={decideChangeAction} submitLabel={t("change.decide")} className="mt-2 flex flex-wrap items-end gap-2" testId={`decide-${r.id}`}>
              <input type="hidden" name="requestId" value={r.id} />
              <input type="hidden" name="expectedVersion" value={r.version} />
              <select name="decision" className={input} aria-label={t("change.decide")}>
                <option value="approve">{r.state === "SUBMITTED" && r.sensitive ? t("change.approveStreet") : t("change.approveFinal")}</option>
                <option value="return">{t("review.return")}</option>
              </select>
              <input name="comment" className={`${input} min-w-0 flex-1`} placeholder={t("change.comment")} aria-label={t("change.comment")} />
            </ActionForm>
          )}
        </li>
      ))}
    </ul>
  );
}
