import type { ReactNode } from 'react';

/** The honest "not built yet" notice: what the view will do, and that it is not here yet. */
export function ComingLater(props: { feature: string; children: ReactNode }) {
  return (
    <section className="panel notice" aria-labelledby="coming-later-title">
      <p className="notice-title" id="coming-later-title">
        {props.feature} is coming in a later release
      </p>
      <div className="muted">{props.children}</div>
    </section>
  );
}
