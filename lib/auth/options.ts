import bcrypt from "bcryptjs";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { writeAudit } from "@/lib/audit/log";
import { prisma } from "@/lib/db/client";

const ZCredentials = z.object({ login: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) });

let dummyHash: string | undefined;

/** Checks a login and password; null when either is wrong or the account is disabled. */
export async function verifyCredentials(login: string, password: string): Promise<{ id: number; login: string } | null> {
  const user = await prisma().user.findUnique({ where: { login } });
  // Compare against a fixed hash when the login is unknown, so response time does not reveal
  // which logins exist.
  const hash = user?.passwordHash ?? (dummyHash ??= bcrypt.hashSync("not-a-password", 10));
  const ok = await bcrypt.compare(password, hash);
  if (!user || !ok || !user.active) return null;
  return { id: user.id, login: user.login };
}

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  pages: { signIn: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "credentials",
      credentials: { login: { type: "text" }, password: { type: "password" } },
      async authorize(raw) {
        const parsed = ZCredentials.safeParse(raw);
        if (!parsed.success) return null;
        const user = await verifyCredentials(parsed.data.login, parsed.data.password);
        await writeAudit(user, { action: user ? "auth.sign-in" : "auth.sign-in-failed", detail: { login: parsed.data.login } });
        return user ? { id: String(user.id), name: user.login } : null;
      },
    }),
  ],
  callbacks: {
    // The token carries only the user id: role and region are read from the database on every
    // request (lib/auth/session.ts), so a change of post takes effect at once.
    async jwt({ token, user }) {
      if (user) token.uid = Number(user.id);
      return token;
    },
    async session({ session, token }) {
      return { ...session, uid: token.uid };
    },
  },
};
