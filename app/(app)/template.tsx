import { headers } from 'next/headers';
import { forbidden } from 'next/navigation';
import type { ReactNode } from 'react';
import { getSession } from '@/lib/server/auth/get-session';
import { mayOpenPage, PATHNAME_HEADER } from '@/lib/server/auth/page-access';

/**
 * The page-role gate for every signed-in page, in one place (a template re-renders on every
 * navigation, unlike the layout): a role below the section's minimum gets the 403 page
 * (app/forbidden.tsx). The path comes from the proxy, which always overwrites the header.
 */
export default async function SignedInTemplate(props: { children: ReactNode }) {
  const session = await getSession();
  if (session) {
    const pathname = (await headers()).get(PATHNAME_HEADER) ?? '/';
    if (!mayOpenPage(pathname, session.user.role)) forbidden();
  }
  return props.children;
}
