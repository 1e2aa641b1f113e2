'use client';

/** A secret (password or token) shown once, right after it was made; it cannot be shown again. */
export function SecretOnce(props: { label: string; secret: string; children?: React.ReactNode; onDismiss: () => void }) {
  return (
    <div className="secret-once" role="status" data-testid="secret-once">
      <strong>{props.label}</strong> — copy it now; it will not be shown again.
      <code data-testid="secret-value">{props.secret}</code>
      {props.children}
      <button type="button" className="button-quiet" onClick={props.onDismiss}>
        Done
      </button>
    </div>
  );
}
