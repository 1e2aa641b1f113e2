import type { Metadata } from 'next';
import Link from 'next/link';
import { AuditLogView } from '@/components/settings/audit-log-view';
import '@/components/settings/settings-forms.css';
import { requireSession } from '@/lib/server/auth/require-session';

export const metadata: Metadata = { title: 'Audit log' };

/** `/settings/audit` — who signed in, changed users and tokens, exported flows or uploaded policies; admin only. */
export default async function AuditPage() {
  await requireSession({ nextPath: '/settings/audit', roles: ['admin'] });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Audit log</h1>
          <p>
            Sign-ins, user and token changes, exports and policy uploads, with who, when and from where. <Link href="/settings">Settings</Link>
          </p>
        </div>
      </div>
      <AuditLogView />
    </>
  );
}
