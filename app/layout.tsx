import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { QueryProvider } from '@/components/providers/query-provider';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'flowlens', template: '%s · flowlens' },
  description: 'Network-flow observability for Kubernetes',
  robots: { index: false, follow: false },
};

export default async function RootLayout(props: { children: ReactNode }) {
  // Reading the request makes every page dynamic, so each response gets the per-request CSP nonce (proxy.ts).
  await headers();
  return (
    <html lang="en">
      <body>
        <QueryProvider>{props.children}</QueryProvider>
      </body>
    </html>
  );
}
