import type { SettingsSummaryDto } from '@/lib/api/settings-summary';
import { formatRelativeTime } from '@/components/ui/format-relative-time';
import { formatUtcTime } from '@/components/ui/format-utc-time';
import { Panel } from '@/components/ui/panel';

function When(props: { atMs: number | null; nowMs: number; never: string }) {
  if (props.atMs === null) return <span className="muted">{props.never}</span>;
  return <span title={formatUtcTime(props.atMs)}>{formatRelativeTime(props.atMs, props.nowMs)}</span>;
}

/** Read-only lists of clusters, collector tokens and users. */
export function SettingsSummaryView(props: { summary: SettingsSummaryDto; nowMs: number }) {
  const { summary, nowMs } = props;
  return (
    <>
      <Panel title="Clusters">
        {summary.clusters.length === 0 ? (
          <p className="muted">No clusters yet.</p>
        ) : (
          <table className="data" data-testid="settings-clusters">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Flow format</th>
                <th scope="col">Registered</th>
              </tr>
            </thead>
            <tbody>
              {summary.clusters.map((cluster) => (
                <tr key={cluster.id}>
                  <th scope="row">
                    {cluster.displayName ?? cluster.name}
                    {cluster.displayName ? <span className="muted mono small"> {cluster.name}</span> : null}
                  </th>
                  <td>{cluster.flowFormat ?? 'auto-detect'}</td>
                  <td>{formatUtcTime(cluster.createdAtMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      <Panel title="Collector tokens">
        {summary.tokens.length === 0 ? (
          <p className="muted">No collector tokens yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="data" data-testid="settings-tokens">
              <thead>
                <tr>
                  <th scope="col">Cluster</th>
                  <th scope="col">Name</th>
                  <th scope="col">Token starts with</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {summary.tokens.map((token) => (
                  <tr key={token.id}>
                    <td>{token.clusterName}</td>
                    <td>{token.name}</td>
                    <td className="mono">{token.prefix}…</td>
                    <td>
                      <When atMs={token.createdAtMs} nowMs={nowMs} never="—" />
                      {token.createdBy ? <span className="muted"> by {token.createdBy}</span> : null}
                    </td>
                    <td>
                      <When atMs={token.lastUsedAtMs} nowMs={nowMs} never="never used" />
                    </td>
                    <td>{token.revokedAtMs === null ? 'active' : <>revoked {formatUtcTime(token.revokedAtMs)}</>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      {summary.users ? (
        <Panel title="Users">
          <table className="data" data-testid="settings-users">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {summary.users.map((user) => (
                <tr key={user.id}>
                  <th scope="row" className="mono">{user.username}</th>
                  <td>{user.displayName ?? '—'}</td>
                  <td>{user.role}</td>
                  <td>
                    <When atMs={user.lastLoginAtMs} nowMs={nowMs} never="never" />
                  </td>
                  <td>{user.disabled ? 'disabled' : 'active'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      ) : null}
    </>
  );
}
