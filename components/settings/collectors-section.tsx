'use client';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { CollectorEndpointDto, CreatedTokenDto } from '@/lib/api/settings';
import { clustersQueryOptions, tokensQueryOptions } from '@/lib/query/settings';
import { formatRelativeTime } from '@/components/ui/format-relative-time';
import { formatUtcTime } from '@/components/ui/format-utc-time';
import { Panel } from '@/components/ui/panel';
import { SecretOnce } from './secret-once';
import { useSettingsMutation } from './use-settings-mutation';

function HowToSend(props: { collector: CollectorEndpointDto; token: string; cluster: string }) {
  return (
    <pre className="mono small" data-testid="how-to-send">
      {`# send a flow log (any supported format, auto-detected)
curl -sS -X POST '${props.collector.flowsUrl}' \\
  -H 'Authorization: Bearer ${props.token}' \\
  -H 'Content-Encoding: gzip' --data-binary @<(gzip -c flows.log)

# or with the CLI (batches, gzip, retries)
npx flowlens send flows.log --url '${props.collector.flowsUrl}' --token '${props.token}'

# inventory for ${props.cluster}
kubectl get namespaces,pods,services,deployments,statefulsets,daemonsets,replicasets,networkpolicies -A -o json \\
  | curl -sS -X POST '${props.collector.inventoryUrl}' -H 'Authorization: Bearer ${props.token}' --data-binary @-`}
    </pre>
  );
}

/** Clusters (register) and collector tokens (mint — shown once —, list, revoke). */
export function CollectorsSection(props: { nowMs: number }) {
  const clusters = useQuery(clustersQueryOptions());
  const tokens = useQuery(tokensQueryOptions());
  const [minted, setMinted] = useState<CreatedTokenDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const register = useSettingsMutation<unknown, { name: string; displayName?: string }>((body) => ({ path: '/api/settings/clusters', method: 'POST', body }));
  const mint = useSettingsMutation<CreatedTokenDto, { clusterName: string; name: string }>((body) => ({ path: '/api/settings/tokens', method: 'POST', body }));
  const revoke = useSettingsMutation<unknown, string>((id) => ({ path: `/api/settings/tokens/${id}`, method: 'DELETE' }));

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  function onRegister(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    void run(async () => {
      await register.mutateAsync({ name: String(data.get('name') ?? ''), displayName: String(data.get('displayName') ?? '') || undefined });
      form.reset();
    });
  }

  function onMint(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    void run(async () => {
      setMinted(await mint.mutateAsync({ clusterName: String(data.get('clusterName') ?? ''), name: String(data.get('tokenName') ?? '') }));
      form.reset();
    });
  }

  const clusterList = clusters.data?.clusters ?? [];
  return (
    <>
      {error ? (
        <p className="form-alert" role="alert">
          {error}
        </p>
      ) : null}
      <Panel title="Clusters" testId="settings-clusters-section">
        <form className="settings-form" onSubmit={onRegister} aria-label="Register a cluster">
          <div className="field">
            <label htmlFor="cluster-name">Cluster name</label>
            <input id="cluster-name" name="name" required placeholder="prod-east" autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="cluster-display">Display name</label>
            <input id="cluster-display" name="displayName" autoComplete="off" />
          </div>
          <button type="submit" className="button-primary" disabled={register.isPending}>
            Register cluster
          </button>
        </form>
        {clusters.data ? (
          <p className="muted small">
            Collectors send flows to <span className="mono">{clusters.data.collector.flowsUrl}</span> with a token bound to their cluster.
          </p>
        ) : null}
        <table className="data" data-testid="settings-clusters">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Flow format</th>
              <th scope="col">Active tokens</th>
              <th scope="col">Registered</th>
            </tr>
          </thead>
          <tbody>
            {clusterList.map((cluster) => (
              <tr key={cluster.id}>
                <th scope="row">
                  {cluster.displayName ?? cluster.name}
                  {cluster.displayName ? <span className="muted mono small"> {cluster.name}</span> : null}
                </th>
                <td>{cluster.flowFormat ?? 'auto-detect'}</td>
                <td>{cluster.activeTokens}</td>
                <td>{formatUtcTime(cluster.createdAtMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel title="Collector tokens" testId="settings-tokens-section">
        {minted ? (
          <SecretOnce label={`Token for ${minted.token.clusterName}`} secret={minted.plaintext} onDismiss={() => setMinted(null)}>
            <HowToSend collector={minted.collector} token={minted.plaintext} cluster={minted.token.clusterName} />
          </SecretOnce>
        ) : null}
        <form className="settings-form" onSubmit={onMint} aria-label="Create a collector token">
          <div className="field">
            <label htmlFor="token-cluster">Cluster</label>
            <select id="token-cluster" name="clusterName" required>
              {clusterList.map((cluster) => (
                <option key={cluster.id} value={cluster.name}>
                  {cluster.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="token-name">Token name</label>
            <input id="token-name" name="tokenName" required placeholder="fluent-bit on node pool a" autoComplete="off" />
          </div>
          <button type="submit" className="button-primary" disabled={mint.isPending || clusterList.length === 0}>
            Create token
          </button>
        </form>
        <div className="table-scroll">
          <table className="data" data-testid="settings-tokens">
            <thead>
              <tr>
                <th scope="col">Cluster</th>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {(tokens.data?.tokens ?? []).map((token) => (
                <tr key={token.id} data-testid={`token-row-${token.prefix}`}>
                  <td>{token.clusterName}</td>
                  <td>{token.name}</td>
                  <td className="mono">{token.prefix}…</td>
                  <td>
                    <span title={formatUtcTime(token.createdAtMs)}>{formatRelativeTime(token.createdAtMs, props.nowMs)}</span>
                    {token.createdBy ? <span className="muted"> by {token.createdBy}</span> : null}
                  </td>
                  <td>{token.lastUsedAtMs === null ? <span className="muted">never used</span> : formatRelativeTime(token.lastUsedAtMs, props.nowMs)}</td>
                  <td>
                    {token.revokedAtMs === null ? (
                      <button type="button" className="button-quiet" onClick={() => void run(() => revoke.mutateAsync(token.id))}>
                        Revoke
                      </button>
                    ) : (
                      <>revoked {formatUtcTime(token.revokedAtMs)}</>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
    </>
  );
}
