import { isRecord, readStringMapLenient } from './read-fields';
import type { Container, ContainerPort, PodTemplate, Protocol } from './types';

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string | number => typeof item === 'string' || typeof item === 'number').map(String);
}

function parseContainerPort(value: unknown): ContainerPort | undefined {
  if (!isRecord(value)) return undefined;
  const raw = value['containerPort'];
  const containerPort = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  // NOTE: a misspelt `containerport` leaves no number; the API server would reject the pod, we just skip the port.
  if (typeof containerPort !== 'number' || !Number.isInteger(containerPort) || containerPort < 1 || containerPort > 65535) return undefined;
  const protocolRaw = value['protocol'];
  const protocol: Protocol = protocolRaw === 'UDP' || protocolRaw === 'SCTP' ? protocolRaw : 'TCP';
  const name = typeof value['name'] === 'string' ? value['name'] : undefined;
  return { ...(name !== undefined ? { name } : {}), containerPort, protocol };
}

function describeEnvFrom(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const configMap = value['configMapRef'];
  if (isRecord(configMap) && typeof configMap['name'] === 'string') return `configMap:${configMap['name']}`;
  const secret = value['secretRef'];
  if (isRecord(secret) && typeof secret['name'] === 'string') return `secret:${secret['name']}`;
  return undefined;
}

/** Reads one container leniently: workloads are context, not policy, so odd fields are skipped, not fatal. */
export function parseContainer(value: unknown): Container | undefined {
  if (!isRecord(value)) return undefined;
  const env = Array.isArray(value['env']) ? value['env'] : [];
  const envFrom = Array.isArray(value['envFrom']) ? value['envFrom'] : [];
  return {
    name: typeof value['name'] === 'string' ? value['name'] : '',
    image: typeof value['image'] === 'string' ? value['image'] : '',
    ports: (Array.isArray(value['ports']) ? value['ports'] : []).map(parseContainerPort).filter((port): port is ContainerPort => port !== undefined),
    command: stringList(value['command']),
    args: stringList(value['args']),
    envNames: env.flatMap((entry) => (isRecord(entry) && typeof entry['name'] === 'string' ? [entry['name']] : [])),
    envFrom: envFrom.map(describeEnvFrom).filter((item): item is string => item !== undefined),
  };
}

function containers(value: unknown): Container[] {
  if (!Array.isArray(value)) return [];
  return value.map(parseContainer).filter((container): container is Container => container !== undefined);
}

/** Reads a pod template (`{ metadata, spec }`) or a Pod object into a `PodTemplate`. */
export function parsePodTemplate(value: unknown): PodTemplate {
  const template = isRecord(value) ? value : {};
  const metadata = isRecord(template['metadata']) ? template['metadata'] : {};
  const spec = isRecord(template['spec']) ? template['spec'] : {};
  const serviceAccountName =
    typeof spec['serviceAccountName'] === 'string'
      ? spec['serviceAccountName']
      : typeof spec['serviceAccount'] === 'string'
        ? spec['serviceAccount']
        : undefined;
  return {
    labels: readStringMapLenient(metadata['labels']),
    annotations: readStringMapLenient(metadata['annotations']),
    containers: containers(spec['containers']),
    initContainers: containers(spec['initContainers']),
    ...(serviceAccountName !== undefined ? { serviceAccountName } : {}),
    hostNetwork: spec['hostNetwork'] === true,
  };
}
