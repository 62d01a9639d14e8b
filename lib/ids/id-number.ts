// 公民身份号码 (GB 11643-1999): normalisation, 15→18 conversion, validation and masking.
// Rules: comparison-rules.md §1. The same checks run in SQL (lib/comparison/sql/normalise.sql);
// tests/unit/id-number.test.ts and the comparison tests hold both to the same cases.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = "10X98765432";

export type IdInvalidReason = "bad_length" | "bad_characters" | "bad_checksum" | "bad_birth_date";

export type IdCheck = { ok: true; id: string } | { ok: false; reason: IdInvalidReason; normalised: string };

const FULL_WIDTH = /[\u3000\uff01-\uff5e]/;

/** Full-width ASCII (U+FF01–FF5E) → half-width, ideographic space → space. */
export function toHalfWidth(s: string): string {
  if (!FULL_WIDTH.test(s)) return s;
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, " ");
}

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** Trim, half-width, x→X, and 15 digits → 18 (insert 19 before the year, append the check character). */
export function normaliseIdNumber(raw: string | null | undefined): string {
  const s = toHalfWidth(raw ?? "").trim().replace(/x/g, "X");
  if (/^\d{15}$/.test(s)) {
    const first17 = `${s.slice(0, 6)}19${s.slice(6)}`;
    return first17 + checkCharacter(first17);
  }
  return s;
}

/** Whether y-m-d is a calendar date (year ≥ 1). */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const days = m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}

/** 17 ASCII digits and a digit or X/x: the usual input, which needs no cleaning. */
function isPlain18(s: string): boolean {
  if (s.length !== 18) return false;
  for (let i = 0; i < 17; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const last = s.charCodeAt(17);
  return (last >= 48 && last <= 57) || last === 88 || last === 120;
}

/**
 * The usual input checked on its bytes, for the importer's stream: exactly 18 bytes, 17 ASCII digits
 * and the check character they determine (x accepted as X), a real birth date not after `asOfYmd`
 * (8 ASCII digits, YYYYMMDD). True means validateIdNumber would say ok with the same 18 characters
 * (x → X); false means "not this fast case" (the caller then asks validateIdNumber).
 */
export function isValidPlainIdBytes(b: Uint8Array, start: number, end: number, asOfYmd: Uint8Array): boolean {
  if (end - start !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = b[start + i] - 48;
    if (c < 0 || c > 9) return false;
    sum += c * WEIGHTS[i];
  }
  let last = b[start + 17];
  if (last === 120) last = 88;
  if (last !== CHECK_CHARS.charCodeAt(sum % 11)) return false;
  for (let i = 0; i < 8; i++) {
    const d = b[start + 6 + i] - asOfYmd[i];
    if (d > 0) return false;
    if (d < 0) break;
  }
  const at = start + 6;
  const y = (b[at] - 48) * 1000 + (b[at + 1] - 48) * 100 + (b[at + 2] - 48) * 10 + (b[at + 3] - 48);
  const m = (b[at + 4] - 48) * 10 + (b[at + 5] - 48);
  const d = (b[at + 6] - 48) * 10 + (b[at + 7] - 48);
  return isRealDate(y, m, d);
}

/** Birth date embedded in a normalised 18-digit ID (digits 7–14), as YYYY-MM-DD. */
export function birthDateOf(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** Gender from the 17th digit: odd = male (1), even = female (2). */
export function genderOf(id: string): "1" | "2" {
  return Number(id[16]) % 2 === 1 ? "1" : "2";
}

/**
 * Validates an ID number; checks run in the order of comparison-rules.md §1 and the first failure
 * is the reason. `asOf` (YYYY-MM-DD) bounds the birth date; it defaults to today.
 */
export function validateIdNumber(raw: string | null | undefined, asOf: string = new Date().toISOString().slice(0, 10)): IdCheck {
  if (raw && isPlain18(raw)) return checkNormalised18(raw.charCodeAt(17) === 120 ? `${raw.slice(0, 17)}X` : raw, asOf);
  const trimmed = toHalfWidth(raw ?? "").trim().replace(/x/g, "X");
  const id = normaliseIdNumber(raw);
  if (trimmed.length !== 15 && trimmed.length !== 18) return { ok: false, reason: "bad_length", normalised: id };
  if (trimmed.length === 15 && !/^\d{15}$/.test(trimmed)) return { ok: false, reason: "bad_characters", normalised: id };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, reason: "bad_characters", normalised: id };
  if (trimmed.length === 18) return checkNormalised18(id, asOf);
  return checkBirthDate(id, asOf);
}

/** The last checks on 17 digits + check character: the check character, then the birth date. */
function checkNormalised18(id: string, asOf: string): IdCheck {
  if (checkCharacter(id) !== id[17]) return { ok: false, reason: "bad_checksum", normalised: id };
  return checkBirthDate(id, asOf);
}

function checkBirthDate(id: string, asOf: string): IdCheck {
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (!isRealDate(y, m, d) || birthDateOf(id) > asOf) return { ok: false, reason: "bad_birth_date", normalised: id };
  return { ok: true, id };
}

/** 320402********123X style masking for lists: region prefix and last four kept. */
export function maskIdNumber(id: string | null | undefined): string {
  if (!id) return "";
  if (id.length < 10) return "*".repeat(id.length);
  return `${id.slice(0, 6)}${"*".repeat(id.length - 10)}${id.slice(-4)}`;
}

/** 138****5678 */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return "";
  if (phone.length < 7) return "*".repeat(phone.length);
  return `${phone.slice(0, 3)}${"*".repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** Builds a valid 18-digit ID from a 6-digit area code, a birth date (YYYYMMDD) and a 3-digit sequence. */
export function makeIdNumber(area: string, birth: string, sequence: number): string {
  const first17 = `${area}${birth}${String(sequence % 1000).padStart(3, "0")}`;
  return first17 + checkCharacter(first17);
}
