import { isCommonPassword } from "./common-passwords";

// The password policy (issue 11, finding 3; seed 003 第二十条). It applies to every password set from
// now on: a self-service change, the change forced after a reset or at first sign-in. Passwords the
// system generates (one-time passwords) satisfy it by construction. Passwords set before the policy
// — the demo accounts' `demo1234` — are not re-checked at sign-in.

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

export type TPasswordProblem = "password.tooShort" | "password.tooLong" | "password.classes" | "password.containsLogin" | "password.common";

/** How many of the four character classes (lower case, upper case, digit, other) the password uses. */
export function characterClasses(password: string): number {
  let n = 0;
  if (/[a-z]/.test(password)) n++;
  if (/[A-Z]/.test(password)) n++;
  if (/[0-9]/.test(password)) n++;
  if (/[^A-Za-z0-9]/.test(password)) n++;
  return n;
}

/** The first rule the password breaks, or null when it is acceptable for this login. */
export function passwordProblem(password: string, login: string): TPasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return "password.tooShort";
  if (length > PASSWORD_MAX_LENGTH) return "password.tooLong";
  if (characterClasses(password) < 3) return "password.classes";
  const lower = password.toLowerCase();
  const name = login.trim().toLowerCase();
  if (name.length > 0 && (lower.includes(name) || lower.includes([...name].reverse().join("")))) return "password.containsLogin";
  if (isCommonPassword(password)) return "password.common";
  return null;
}

const ALPHABETS = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "#%+-=@"];

/**
 * A one-time password (12 characters, every class, no look-alike characters), from the CSPRNG.
 * Given once to the person who hands it over; it must be changed at the first sign-in.
 */
export function generateOneTimePassword(randomInt: (max: number) => number): string {
  const all = ALPHABETS.join("");
  const chars = ALPHABETS.map((a) => a[randomInt(a.length)]);
  while (chars.length < 12) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}
