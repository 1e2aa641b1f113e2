/** Empty state: no cluster has been registered yet, so explain how flows get in. */
export function NoClustersYet(props: { collectorPort: number }) {
  return (
    <section className="panel empty-state" data-testid="overview-empty">
      <h2>No clusters yet</h2>
      <p>
        flowlens shows data once a cluster sends flow logs to the collector. A cluster appears here with the first
        collector token made for it.
      </p>
      <ol>
        <li>Create a collector token for the cluster (the cluster is registered with it).</li>
        <li>
          Send flow log lines to the collector on port <strong>{props.collectorPort}</strong>, with the token as a bearer
          token. Supported formats: Calico flow logs (<code>calico</code>), Calico OSS Goldmane (<code>goldmane</code>),
          Hubble (<code>hubble</code>), AWS VPC Flow Logs (<code>vpc</code>) and flowlens NDJSON (<code>native</code>);
          the format is detected per line when you leave it out.
        </li>
      </ol>
      <pre>
        {`curl -X POST "http://<flowlens-host>:${props.collectorPort}/v1/flows?format=calico" \\
  -H "Authorization: Bearer flk_…" \\
  --data-binary @flows.log`}
      </pre>
      <p className="muted small">
        To try flowlens without a cluster, start it with the demo generator enabled; it creates the clusters{' '}
        <code>prod-east</code> and <code>prod-west</code> and streams realistic flows.
      </p>
    </section>
  );
}
