import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { BrandMark } from '@/components/shell/brand-mark';
import { getSession } from '@/lib/server/auth/get-session';
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
        <LoginForm nextPath={nextPath} signedOut={searchParams.signedOut === '1'} />
      </main>
    </div>
  );
}
