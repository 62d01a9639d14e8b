import crypto from "node:crypto";
import bcrypt from "bcryptjs";

// Password hashes. New hashes are scrypt (node:crypto, native, run on libuv's thread pool, so a
// burst of sign-ins no longer stalls every other request on the event loop) with the parameters
// Django and Node use for interactive logins: N = 2^14, r = 8, p = 1 (16 MiB per hash), a 16-byte
// random salt and a 32-byte key, stored as `scrypt$<N>$<r>$<p>$<salt b64>$<key b64>`. Existing
// bcrypt hashes (`$2a$`/`$2b$`, written before) are still verified, with bcryptjs, and replaced by a
// scrypt hash at the next successful sign-in (lib/auth/options.ts). bcryptjs is pure JavaScript:
// cost 10 took 250–350 ms of CPU on this machine's event loop, scrypt 120–200 ms off it.

export const SCRYPT = { N: 2 ** 14, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;
const PREFIX = "scrypt$";

function scrypt(password: string, salt: Buffer, N: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  // maxmem: 128·N·r bytes plus headroom (Node's default of 32 MiB would refuse N = 2^15).
  return new Promise((resolve, reject) =>
    crypto.scrypt(password, salt, keyLength, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** A new hash of the password (scrypt, random salt). */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(SCRYPT.saltLength);
  const key = await scrypt(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keyLength);
  return `${PREFIX}${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** Whether the password matches the stored hash (scrypt, or bcrypt from before). False for anything unreadable. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith(PREFIX)) {
    const [n, r, p, salt, key] = stored.slice(PREFIX.length).split("$");
    const N = Number(n);
    const expected = Buffer.from(key ?? "", "base64");
    // Bounds keep a corrupted row from asking for gigabytes.
    if (!Number.isInteger(N) || N < 2 || N > 2 ** 20 || !(Number(r) >= 1 && Number(r) <= 32) || !(Number(p) >= 1 && Number(p) <= 16) || expected.length < 16) return false;
    const actual = await scrypt(password, Buffer.from(salt ?? "", "base64"), N, Number(r), Number(p), expected.length);
    return crypto.timingSafeEqual(actual, expected);
  }
  if (/^\$2[aby]\$\d\d\$/.test(stored)) return bcrypt.compare(password, stored);
  return false;
}

/** Whether a (verified) stored hash should be replaced by a new one: bcrypt, or scrypt with other parameters. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(`${PREFIX}${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$`);
}
