import crypto from "node:crypto";
import { authSecret } from "@/lib/db/database";

// The opaque key of a person in URLs (/registry/<ref>, /print/person/<ref>, ?s=<ref>). A URL is
// copied into browser history, bookmarks, proxies' logs and Referer headers; an ID number in it
// is personal data leaking out of the audited pages (issue 11 §6: 250 full IDs were collected from
// list pages' links). The person table is keyed by the ID number, so instead of adding a surrogate
// column to a million-row table written by every comparison, the key is the ID number encrypted
// deterministically with a server-side key (SIV construction: the IV is a keyed HMAC of the ID,
// the ID is AES-256-CTR-encrypted under it, and decoding recomputes the HMAC, so a forged or
// altered ref decodes to nothing). The same person always has the same ref while the server's
// secret (NEXTAUTH_SECRET or the generated one) is unchanged; a ref reveals nothing without it.

let keys: { mac: Buffer; enc: Buffer } | undefined;

function derivedKeys() {
  if (!keys) {
    const okm = Buffer.from(crypto.hkdfSync("sha256", authSecret(), "enrolment-person-ref", "person url key v1", 64));
    keys = { mac: okm.subarray(0, 32), enc: okm.subarray(32) };
  }
  return keys;
}

const ID_SHAPE = /^\d{17}[\dX]$/;

/** The opaque URL key of an ID number (46 URL-safe characters). */
export function personRef(idNumber: string): string {
  const { mac, enc } = derivedKeys();
  const plain = Buffer.from(idNumber, "latin1");
  const iv = crypto.createHmac("sha256", mac).update(plain).digest().subarray(0, 16);
  const cipher = crypto.createCipheriv("aes-256-ctr", enc, iv);
  return Buffer.concat([iv, cipher.update(plain), cipher.final()]).toString("base64url");
}

/** The ID number behind a ref, or null for anything that is not a ref this server issued. */
export function idNumberOfRef(ref: string): string | null {
  if (typeof ref !== "string" || !/^[A-Za-z0-9_-]{40,60}$/.test(ref)) return null;
  const raw = Buffer.from(ref, "base64url");
  if (raw.length !== 34) return null;
  const { mac, enc } = derivedKeys();
  const iv = raw.subarray(0, 16);
  const decipher = crypto.createDecipheriv("aes-256-ctr", enc, iv);
  const plain = Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]);
  const expected = crypto.createHmac("sha256", mac).update(plain).digest().subarray(0, 16);
  if (!crypto.timingSafeEqual(iv, expected)) return null;
  const id = plain.toString("latin1");
  return ID_SHAPE.test(id) ? id : null;
}
