import { type NextRequest, NextResponse } from "next/server";
import { isDecodablePath } from "@/lib/http/params";

// The proxy (Next 16's name for middleware) is no security boundary here: pages and actions check
// rights through lib/policy themselves. It only turns away request paths no route could serve: a
// malformed percent escape (/registry/%E0%A4%A) otherwise reaches Next's route matcher, whose
// URIError answers 500 in production. Such a request gets a plain 400.

export function proxy(request: NextRequest) {
  if (!isDecodablePath(request.nextUrl.pathname)) return new NextResponse("Bad Request", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return NextResponse.next();
}

export const config = {
  // Everything but Next's own static assets.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
