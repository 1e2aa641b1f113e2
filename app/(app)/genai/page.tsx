import type { Metadata } from 'next';
import { Suspense } from 'react';
import { GenAiView } from '@/components/genai/genai-view';
import { requireSession } from '@/lib/server/auth/require-session';

export const metadata: Metadata = { title: 'GenAI' };

/** Roles that may see GenAI analysis (viewers and SREs may not). */
const GENAI_ROLES = ['analyst', 'admin'];

/**
 * `/genai` — GenAI components with their evidence, data-access paths and findings by severity. The view's
 * state is the URL; the data comes from /api/genai/* (role-checked and scoped there too).
 */
export default async function GenAiPage() {
  const session = await requireSession({ nextPath: '/genai' });
  const allowed = GENAI_ROLES.includes(session.user.role);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>GenAI</h1>
          <p>Inference servers, vector databases, external LLM APIs, and the paths that reach sensitive data.</p>
        </div>
      </div>
      {allowed ? (
        <Suspense fallback={<p className="muted">Loading GenAI analysis…</p>}>
          <GenAiView />
        </Suspense>
      ) : (
        <div className="panel notice" role="note" data-testid="genai-forbidden">
          <p className="notice-title">GenAI analysis needs the analyst or admin role</p>
          You are signed in as {session.user.role}. Ask an administrator for the analyst role.
        </div>
      )}
    </>
  );
}
