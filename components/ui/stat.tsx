import type { ReactNode } from 'react';

/** One headline figure with its label and an optional note. */
export function Stat(props: { label: string; value: ReactNode; note?: ReactNode; tone?: 'denied'; testId?: string }) {
  return (
    <div className={props.tone === 'denied' ? 'stat stat-denied' : 'stat'} data-testid={props.testId}>
      <div className="stat-label">{props.label}</div>
      <div className="stat-value">{props.value}</div>
      {props.note !== undefined ? <div className="stat-note">{props.note}</div> : null}
    </div>
  );
}
