import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { prisma } from "@/lib/db/client";
import type { Actor, TRole } from "@/lib/policy";
import { authOptions } from "./options";

export interface SessionUser extends Actor {
  realName: string;
  regionName: string | null;
  regionLevel: string | null;
}

/** The signed-in user as the database has them now, or null (signed out, disabled or removed). */
export async function currentUser(): Promise<SessionUser | null> {
  const session = (await getServerSession(authOptions)) as { uid?: number } | null;
  if (!session?.uid) return null;
  const user = await prisma().user.findUnique({ where: { id: session.uid }, include: { region: true } });
  if (!user || !user.active) return null;
  return {
    id: user.id,
    login: user.login,
    role: user.role as TRole,
    regionCode: user.regionCode,
    realName: user.realName,
    regionName: user.region?.name ?? null,
    regionLevel: user.region?.level ?? null,
  };
}

/** For pages and actions: the user, or a redirect to sign-in. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  return user;
}
