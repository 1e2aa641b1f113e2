import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { BrandMark } from '@/components/shell/brand-mark';
import { getSession } from '@/lib/server/auth/get-session';
import { oidcConfigOrNull } from '@/lib/server/auth/oidc-sign-in';
import { safeNextPath } from '@/lib/server/auth/safe-next-path';

export const metadata: Metadata = { title: 'Sign in' };

/** `/login` — public. Already signed in: go straight to `next`. */
export default async function LoginPage(props: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const searchParams = await props.searchParams;
  const nextPath = safeNextPath(searchParams.next);
  if (await getSession()) redirect(nextPath);
  return (
    <div className="login-page">
      <main className="login-card">
        <div className="brand">
          <BrandMark />
          flowlens
        </div>
        <h1>Sign in</h1>
        {typeof searchParams.ssoError === 'string' ? (
          <p className="form-alert" role="alert" data-testid="sso-error">
            {searchParams.ssoError.slice(0, 300)}
          </p>
        ) : null}
        <LoginForm nextPath={nextPath} signedOut={searchParams.signedOut === '1'} />
        {oidcConfigOrNull() ? (
          <p className="sso-sign-in">
            {/* A link, not a form: the redirect to the identity provider must not be bound by form-action. */}
            <a className="button-quiet" href={`/api/auth/oidc/start?next=${encodeURIComponent(nextPath)}`} data-testid="sso-sign-in">
              Sign in with SSO
            </a>
          </p>
        ) : null}
      </main>
    </div>
  );
}
