'use client';
import type { FlowGroupBy, FlowGroupsDto } from '@/lib/api/flows';
import { formatCount } from '@/components/ui/format-count';
import { formatBytes } from '@/components/ui/format-bytes';

const LABELS: Record<FlowGroupBy, string> = { source: 'Source', destination: 'Destination', port: 'Port', policy: 'Deciding policy', dropReason: 'Drop reason' };

/** Matching flows grouped, with counts; a group's value drills into the table as a filter. */
export function FlowGroups(props: { groups: FlowGroupsDto | undefined; loading: boolean; by: FlowGroupBy; onBy: (by: FlowGroupBy) => void; onDrill: (by: FlowGroupBy, value: string) => void }) {
  return (
    <div className="flow-groups" data-state={props.loading ? 'loading' : 'ready'} data-testid="flow-groups">
      <div className="segmented" role="group" aria-label="Group by">
        {(Object.keys(LABELS) as FlowGroupBy[]).map((by) => (
          <button key={by} type="button" aria-pressed={props.by === by} onClick={() => props.onBy(by)}>{LABELS[by]}</button>
        ))}
      </div>
      <div className="table-scroll">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{LABELS[props.by]}</th>
              <th scope="col" className="num">Flows</th>
              <th scope="col" className="num">Denied</th>
              <th scope="col" className="num">Allowed</th>
              <th scope="col" className="num">Bytes</th>
              <th scope="col" className="num">Connections</th>
              <th scope="col">Last seen (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {(props.groups?.groups ?? []).map((group) => (
              <tr key={group.value + group.label}>
                <th scope="row">
                  {group.value && props.by !== 'policy' ? (
                    <button type="button" className="link-button mono" onClick={() => props.onDrill(props.by, group.value)} title="Show these flows">{group.label}</button>
                  ) : group.value ? (
                    <button type="button" className="link-button" onClick={() => props.onDrill(props.by, group.value)} title="Show these flows">{group.label}</button>
                  ) : (
                    <span className="muted">{group.label}</span>
                  )}
                </th>
                <td className="num">{formatCount(group.flows)}</td>
                <td className="num">{formatCount(group.denied)}</td>
                <td className="num">{formatCount(group.allowed)}</td>
                <td className="num">{formatBytes(group.bytes)}</td>
                <td className="num">{formatCount(group.connections)}</td>
                <td>{new Date(group.lastSeenMs).toISOString().slice(0, 19).replace('T', ' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {props.groups && props.groups.groups.length === 0 ? <p className="muted">No flows match.</p> : null}
      </div>
    </div>
  );
}
