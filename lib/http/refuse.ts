import { forbidden, notFound } from "next/navigation";

// A page that refuses answers with the HTTP status of its refusal: 404 for what is out of the
// user's scope or does not exist (the same answer for both, so scope leaks nothing), 403 for what
// the user's role may not do. The pages are app/(portal)/not-found.tsx and forbidden.tsx (and the
// root ones outside the portal); the refusal itself is audited by lib/policy's guarded().

export function refusePage(refusal: "error.notFound" | "error.forbidden"): never {
  if (refusal === "error.notFound") notFound();
  forbidden();
}
