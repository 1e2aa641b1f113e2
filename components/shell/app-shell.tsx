import Link from 'next/link';
import type { ReactNode } from 'react';
import type { SessionUserDto } from '@/lib/api/session-user';
import { BrandMark } from './brand-mark';
import { NavLinks } from './nav-links';

/** Header (product, navigation, signed-in user, sign out) around every signed-in page. */
export function AppShell(props: { user: SessionUserDto; children: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link href="/" className="brand">
          <BrandMark />
          flowlens
        </Link>
        <NavLinks />
        <div className="app-user" data-testid="signed-in-user">
          <span>
            <span className="visually-hidden">Signed in as </span>
            <strong>{props.user.displayName ?? props.user.username}</strong>{' '}
            <span className="role-badge" title="Your role">
              {props.user.role}
            </span>
          </span>
          {/* A plain form post: sign-out works without JavaScript; the server answers 303 → /login. */}
          <form method="post" action="/api/auth/logout">
            <button type="submit" className="button-quiet">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main id="main" className="app-main">
        {props.children}
      </main>
    </>
  );
}
