/** An endpoint as list views show it (names only; the full endpoint comes with the graph API). */
export interface EndpointLabelDto {
  kind: string;
  namespace: string | null;
  name: string;
}

/** "payments/api", "api.openai.com", or "(unknown endpoint)" when the dictionary row is missing. */
export function formatEndpointLabel(endpoint: EndpointLabelDto | null): string {
  if (!endpoint) return '(unknown endpoint)';
  return endpoint.namespace ? `${endpoint.namespace}/${endpoint.name}` : endpoint.name;
}
