import type { Metadata } from 'next';
import { SettingsSummaryView } from '@/components/settings/settings-summary-view';
import { ComingLater } from '@/components/ui/coming-later';
import { requireSession } from '@/lib/server/auth/require-session';
import { getSettingsSummary } from '@/lib/server/settings/get-settings-summary';

export const metadata: Metadata = { title: 'Settings' };

/** `/settings` — clusters, collector tokens and users, read-only for now (users: admins only). */
export default async function SettingsPage() {
  const session = await requireSession({ nextPath: '/settings' });
  const summary = await getSettingsSummary({ viewerRole: session.user.role });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Settings</h1>
          <p>Clusters, collector tokens and users.</p>
        </div>
      </div>
      <ComingLater feature="Editing settings">
        Registering clusters, minting and revoking collector tokens, adding users and roles, and tuning GenAI classification
        rules from this page. The lists below are live.
      </ComingLater>
      <SettingsSummaryView summary={summary} nowMs={Date.now()} />
    </>
  );
}
