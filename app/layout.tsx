import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { QueryProvider } from '@/components/providers/query-provider';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'flowlens', template: '%s · flowlens' },
  description: 'Network-flow observability for Kubernetes',
  robots: { index: false, follow: false },
};

export default function RootLayout(props: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <QueryProvider>{props.children}</QueryProvider>
      </body>
    </html>
  );
}
