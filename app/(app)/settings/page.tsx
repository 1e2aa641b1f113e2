import type { Metadata } from 'next';
import Link from 'next/link';
import { CollectorsSection } from '@/components/settings/collectors-section';
import { GenAiRulesSection } from '@/components/settings/genai-rules-section';
import { RetentionSection } from '@/components/settings/retention-section';
import { UsersSection } from '@/components/settings/users-section';
import '@/components/settings/settings-forms.css';
import { requireSession } from '@/lib/server/auth/require-session';

export const metadata: Metadata = { title: 'Settings' };

/**
 * `/settings` — admin only. One section component per line, so other features add theirs with one
 * line (e.g. GenAI classification rules). The audit log is at /settings/audit.
 */
export default async function SettingsPage() {
  await requireSession({ nextPath: '/settings', roles: ['admin'] });
  const nowMs = Date.now();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Settings</h1>
          <p>
            Clusters and collector tokens, users and roles, retention. <Link href="/settings/audit">Audit log</Link>
          </p>
        </div>
      </div>
      <CollectorsSection nowMs={nowMs} />
      <UsersSection />
      <RetentionSection />
      <GenAiRulesSection />
    </>
  );
}
