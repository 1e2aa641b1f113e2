'use client';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { POLICY_RANGES, type PolicyRange } from '@/lib/api/policies';

/** Everything meaningful about the /policies view, as it lives in the URL. */
export interface PoliciesUrlState {
  cluster: string;
  /** Explanation of one edge: `src`/`dst` are `namespace/name`, an IP or a domain. */
  src: string | null;
  dst: string | null;
  port: number | null;
  protocol: string;
  /** Window of the explanation and the what-if. */
  range: PolicyRange;
  mode: 'merge' | 'replace';
  /** Recommendation target: `namespace/name` or `ns:<namespace>`. */
  recommend: string | null;
  recommendRange: PolicyRange;
}

function rangeOf(value: string | null, fallback: PolicyRange): PolicyRange {
  return (POLICY_RANGES as readonly string[]).includes(value ?? '') ? (value as PolicyRange) : fallback;
}

/** Reads the view's state from the URL and writes changes back (replace, so Back leaves the page). */
export function usePoliciesUrl(clusters: readonly string[]): [PoliciesUrlState, (patch: Partial<Record<keyof PoliciesUrlState, string | number | null>>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = useMemo((): PoliciesUrlState => {
    const port = Number(params.get('port'));
    const cluster = params.get('cluster');
    return {
      cluster: cluster && clusters.includes(cluster) ? cluster : (clusters[0] ?? ''),
      src: params.get('src'),
      dst: params.get('dst'),
      port: Number.isInteger(port) && port > 0 ? port : null,
      protocol: (params.get('protocol') ?? 'TCP').toUpperCase(),
      range: rangeOf(params.get('range'), '7d'),
      mode: params.get('mode') === 'replace' ? 'replace' : 'merge',
      recommend: params.get('recommend'),
      recommendRange: rangeOf(params.get('rrange'), '7d'),
    };
  }, [params, clusters]);
  const update = useCallback(
    (patch: Partial<Record<keyof PoliciesUrlState, string | number | null>>) => {
      const next = new URLSearchParams(params.toString());
      const names: Record<keyof PoliciesUrlState, string> = {
        cluster: 'cluster', src: 'src', dst: 'dst', port: 'port', protocol: 'protocol', range: 'range', mode: 'mode', recommend: 'recommend', recommendRange: 'rrange',
      };
      for (const [key, value] of Object.entries(patch) as Array<[keyof PoliciesUrlState, string | number | null]>) {
        if (value === null || value === '') next.delete(names[key]);
        else next.set(names[key], String(value));
      }
      router.replace(`${pathname}?${next.toString()}`, { scroll: false });
    },
    [params, pathname, router],
  );
  return [state, update];
}
