// Server-side error logging without personal data. An error object can carry the values of the
// query that failed (Prisma and pg put parameters and rows into `message`, `meta`, `detail`), and
// a server log is read by people who may not see personal data. We log the error's kind, code and
// message with every ID-number-like and phone-like digit run masked, cut to a bounded length, and
// the stack's frames (code locations only).

const ID_LIKE = /\d{6}(\d{8,11})[\dXx]?/g;
const LONG_DIGITS = /\d{7,}/g;

/** An error message with ID numbers and phone numbers masked and its length bounded. */
export function redact(text: string, max = 300): string {
  const masked = text.replace(ID_LIKE, (m) => `${m.slice(0, 6)}${"*".repeat(m.length - 10)}${m.slice(-4)}`).replace(LONG_DIGITS, (m) => `${m.slice(0, 3)}****`);
  return masked.length > max ? `${masked.slice(0, max)}…` : masked;
}

export function logError(where: string, e: unknown): void {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as { code?: unknown }).code;
  const frames = (err.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 8).join("\n");
  console.error(`[${where}] ${err.name}${code ? ` ${String(code)}` : ""}: ${redact(err.message)}${frames ? `\n${frames}` : ""}`);
}
