// Survey drafts kept in the browser's localStorage (components/survey/survey-form.tsx): one key per
// task. Cleared at sign-out (components/layout/sign-out-button.tsx).

export const DRAFT_PREFIX = "survey-draft:";
export const draftKey = (taskId: number) => `${DRAFT_PREFIX}${taskId}`;

function draftKeys(): string[] {
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key?.startsWith(DRAFT_PREFIX)) keys.push(key);
  }
  return keys;
}

/** Drafts typed here that never reached the server. */
export function unsyncedSurveyDrafts(): number {
  try {
    return draftKeys().filter((k) => (JSON.parse(localStorage.getItem(k) ?? "{}") as { unsynced?: boolean }).unsynced).length;
  } catch {
    return 0;
  }
}

export function clearSurveyDrafts(): void {
  try {
    for (const key of draftKeys()) localStorage.removeItem(key);
  } catch {
    /* storage disabled: nothing kept */
  }
}
