import type { ReactNode } from 'react';

/** A titled content box. `headingLevel` keeps the outline right when panels nest under other headings. */
export function Panel(props: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; testId?: string }) {
  return (
    <section className={['panel', props.className].filter(Boolean).join(' ')} data-testid={props.testId}>
      {props.title !== undefined || props.actions !== undefined ? (
        <div className="panel-header">
          {props.title !== undefined ? <h2>{props.title}</h2> : <span />}
          {props.actions}
        </div>
      ) : null}
      {props.children}
    </section>
  );
}
