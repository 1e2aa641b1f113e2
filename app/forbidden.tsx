import Link from 'next/link';

/** Rendered (HTTP 403) when a signed-in user's role may not open a page. */
export default function Forbidden() {
  return (
    <div className="empty-state" data-testid="forbidden">
      <h1>Not for your role</h1>
      <p>This page needs a role you do not have. Ask an administrator if you need it.</p>
      <p>
        <Link href="/">Back to the overview</Link>
      </p>
    </div>
  );
}
