// The response headers every portal response carries (next.config.ts `headers()`), kept here as
// plain data so that tests/unit/security-headers.test.ts can read them and the e2e spec can check
// them on the built app.
//
// Content-Security-Policy: Next.js's App Router writes inline <script> tags (the RSC payload and
// bootstrap) into every page. A nonce would allow exactly those, but needs every page rendered
// per request with the nonce read from a proxy-set header, and a static page without it would be
// blocked. We choose a static policy instead: scripts only from this origin plus inline ones
// ('unsafe-inline'), and everything else strict — no other origin for anything, no plugins
// (object-src), no <base> hijack, forms post only here, and no framing (frame-ancestors 'none',
// which stops click-jacking). React escapes all data it renders, which is the XSS defence the
// inline allowance relies on. Development adds 'unsafe-eval' (React's dev tooling needs it).

export function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export interface HeaderRule {
  source: string;
  headers: { key: string; value: string }[];
}

/** Everything but Next's own hashed static assets (which are public and cached for a year). */
export const DYNAMIC_PATHS = "/((?!_next/static|_next/image|favicon.ico).*)";

export function securityHeaders(dev: boolean): HeaderRule[] {
  return [
    {
      source: "/:path*",
      headers: [
        { key: "Content-Security-Policy", value: contentSecurityPolicy(dev) },
        { key: "X-Content-Type-Options", value: "nosniff" },
        // Not "no-referrer": browsers then send `Origin: null` on POSTs, which Next's server-action
        // CSRF check refuses. same-origin keeps URLs from leaving the portal.
        { key: "Referrer-Policy", value: "same-origin" },
        // For browsers that predate frame-ancestors.
        { key: "X-Frame-Options", value: "DENY" },
      ],
    },
    {
      // Pages, route handlers and exports carry personal data: never stored by a browser or proxy.
      source: DYNAMIC_PATHS,
      headers: [{ key: "Cache-Control", value: "no-store" }],
    },
  ];
}
