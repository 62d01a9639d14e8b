// Preloaded (node --require) into every process that serves the portal: the client's address as
// the server's own socket saw it, in the request header `x-portal-client`, overwriting whatever a
// client sent under that name. The per-address sign-in lockout (lib/auth/throttle.ts) keys on it.
// Next.js passes a client's own X-Forwarded-For through untouched, so without this a client could
// name a new address on every attempt and never be locked.
//
// Behind reverse proxies, TRUSTED_PROXY_HOPS=N (the number of proxies in front of the portal, each
// appending the address it received from to X-Forwarded-For) takes the address N hops back in that
// chain instead of the socket's, which is then the nearest proxy's. Default 0: no proxy is trusted.
// Plain CommonJS, no dependencies: it runs before Next.js loads.
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: preloaded with node --require, before any loader */

const http = require("node:http");

const hops = Number.parseInt(process.env.TRUSTED_PROXY_HOPS ?? "0", 10);
const trusted = Number.isInteger(hops) && hops > 0 ? hops : 0;

function clientOf(req) {
  const socketAddress = (req.socket && req.socket.remoteAddress) || "unknown";
  if (trusted === 0) return socketAddress;
  const raw = req.headers["x-forwarded-for"];
  const chain = (Array.isArray(raw) ? raw.join(",") : raw || "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  chain.push(socketAddress);
  return chain[Math.max(0, chain.length - 1 - trusted)];
}

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitWithClientAddress(event, req, ...rest) {
  if (event === "request" && req && req.headers) req.headers["x-portal-client"] = clientOf(req).slice(0, 64);
  return emit.call(this, event, req, ...rest);
};

module.exports = { clientOf };
