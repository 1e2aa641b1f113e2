/** Prometheus metrics of the collector, rendered in the text exposition format at GET /metrics. */

type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}

class Counter {
  private readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.values.size === 0) lines.push(`${this.name} 0`);
    for (const [labels, value] of this.values) lines.push(`${this.name}${labels} ${value}`);
    return lines.join('\n');
  }
}

class Gauge {
  private value = 0;
  constructor(readonly name: string, readonly help: string) {}
  set(value: number): void {
    this.value = value;
  }
  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${this.value}`].join('\n');
  }
}

class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(readonly name: string, readonly help: string, private readonly bounds: number[]) {
    this.counts = bounds.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    this.bounds.forEach((bound, index) => {
      if (value <= bound) this.counts[index] = (this.counts[index] ?? 0) + 1;
    });
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.bounds.forEach((bound, index) => lines.push(`${this.name}_bucket{le="${bound}"} ${this.counts[index] ?? 0}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

export class CollectorMetrics {
  readonly flowsAccepted = new Counter('flowlens_flows_accepted_total', 'Flow records stored, by format and cluster.');
  readonly linesRejected = new Counter('flowlens_lines_rejected_total', 'Input lines that could not be parsed (kept in ingest_errors), by format and cluster.');
  readonly linesSkipped = new Counter('flowlens_lines_skipped_total', 'Input lines that are not flows (VPC NODATA/SKIPDATA, headers), by format and cluster.');
  readonly rowsWritten = new Counter('flowlens_rows_written_total', 'Rows written to Postgres, by table.');
  readonly requests = new Counter('flowlens_http_requests_total', 'HTTP requests, by route and status.');
  readonly batchSeconds = new Histogram('flowlens_batch_duration_seconds', 'Time from a batch entering the writer to its commit.', [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
  ]);
  readonly queueDepth = new Gauge('flowlens_queue_depth', 'Batches admitted: being parsed, waiting for the writer, or being written.');
  readonly databaseUp = new Gauge('flowlens_database_up', '1 when the last database operation succeeded.');

  render(): string {
    return [
      this.flowsAccepted, this.linesRejected, this.linesSkipped, this.rowsWritten, this.requests,
      this.batchSeconds, this.queueDepth, this.databaseUp,
    ].map((metric) => metric.render()).join('\n') + '\n';
  }
}
