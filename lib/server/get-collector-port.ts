import 'server-only';

/** The collector's HTTP port as configured for this installation (shown in "how to send flows"). */
export function getCollectorPort(): number {
  const port = Number(process.env.FLOWLENS_COLLECTOR_PORT ?? '');
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : 4800;
}
