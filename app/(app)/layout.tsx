import type { ReactNode } from 'react';
import { AppShell } from '@/components/shell/app-shell';
import { getSession } from '@/lib/server/auth/get-session';

/**
 * The signed-in frame. It does not redirect itself: each page calls requireSession with its own path,
 * so the login page can send the user back where they were going.
 */
export default async function SignedInLayout(props: { children: ReactNode }) {
  const session = await getSession();
  if (!session) return props.children;
  return (
    <>
      {/* Read by lib/query's sendJson for the x-csrf-token header; React 19 hoists <meta> into <head>. */}
      <meta name="csrf-token" content={session.csrfToken} />
      <AppShell user={session.user}>{props.children}</AppShell>
    </>
  );
}
