/** Verdict as colour *and* text (never colour alone). */
export function VerdictBadge(props: { verdict: 'allowed' | 'denied' }) {
  return (
    <span className={`verdict-badge verdict-${props.verdict}`} data-verdict={props.verdict}>
      <span aria-hidden="true">{props.verdict === 'denied' ? '✕' : '✓'}</span> {props.verdict}
    </span>
  );
}
