import Link from "next/link";

/** A refusal outside the portal shell (print views, unknown addresses): the message and the way home. */
export function StandaloneMessage({ title, back }: { title: string; back: string }) {
  return (
    <main className="mx-auto max-w-lg p-8">
      <div className="rounded-lg border border-amber-200 bg-amber-50 p-6" role="alert" data-testid="refusal">
        <p className="font-medium text-amber-900">{title}</p>
        <Link href="/" className="mt-3 inline-block text-sm text-blue-700 underline">
          {back}
        </Link>
      </div>
    </main>
  );
}
