import type { PostureLink } from './types';

/** The app path of a posture evidence link, e.g. `/policies?cluster=prod-east&namespace=llm`. */
export function postureLinkHref(link: PostureLink): string {
  const query = new URLSearchParams(Object.entries(link.params).sort(([a], [b]) => (a < b ? -1 : 1))).toString();
  return `/${link.target}${query ? `?${query}` : ''}`;
}
