import { writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { exportFormat, tableExportResponse } from "@/lib/http/table-export";
import { type TMessageKey, translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { NotAllowedError, NotFoundError, recordRefusal } from "@/lib/policy";
import { categoryLabel, taskReasonLabel } from "@/lib/registry/labels";
import { countQueue, iterateQueue, parseQueueFilter, queueAuditFilters, queueLevel } from "@/lib/review/queue";

// GET /review/export?format=xlsx|csv&region=&category=&submittedBy=&returned=&q=: the review queue
// with the list's filters, every row (not one page), IDs masked as in the list, labels with their
// codes in `_code` columns. Audited with the filters and the row count before the first byte leaves.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user || !queueLevel(user)) return new Response("forbidden", { status: 403 });
  const url = new URL(request.url);
  const format = exportFormat(url.searchParams.get("format"));
  const filter = parseQueueFilter(Object.fromEntries(url.searchParams));
  let rows: number;
  try {
    rows = await countQueue(user, filter);
  } catch (e) {
    if (e instanceof NotFoundError || e instanceof NotAllowedError) {
      await recordRefusal(e, { via: "review-export", ...filter });
      return new Response("not found", { status: 404 });
    }
    throw e;
  }
  await writeAudit(user, { action: "review.export", entity: "survey_task", regionCode: filter.region ?? user.regionCode, detail: { format, filters: queueAuditFilters(filter, queueLevel(user)!.state), rows } });
  const t = translator(await getLocale());
  const yes = t("review.filter.returned.yes");
  const no = t("review.filter.returned.no");
  async function* lines() {
    for await (const batch of iterateQueue(user!, filter)) {
      yield batch.map((r) => [
        r.id,
        r.name,
        r.idMasked,
        r.regionName,
        r.regionCode,
        categoryLabel(t, r.category),
        r.category,
        taskReasonLabel(t, r.reason, r.category),
        r.submittedByName ?? "",
        r.submittedAt ? r.submittedAt.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }) : "",
        r.everReturned ? yes : no,
        t(`task.state.${r.state}` as TMessageKey),
        r.state,
      ]);
    }
  }
  return tableExportResponse({
    format,
    filename: t("review.export.title"),
    sheetName: t("review.export.title"),
    header: [
      t("review.export.taskId"),
      t("review.col.name"),
      t("review.col.id"),
      t("review.col.region"),
      "region_code",
      t("review.col.category"),
      "category_code",
      t("tasks.reason"),
      t("review.col.submittedBy"),
      t("review.col.submittedAt"),
      t("review.col.returned"),
      t("review.col.state"),
      "state_code",
    ],
    rows: lines(),
  });
}
