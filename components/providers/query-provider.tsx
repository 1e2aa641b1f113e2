'use client';
import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { makeQueryClient } from '@/lib/query/make-query-client';

/** The react-query provider for the whole app (root layout). */
export function QueryProvider(props: { children: ReactNode }) {
  const queryClient = makeQueryClient();
  return <QueryClientProvider client={queryClient}>{props.children}</QueryClientProvider>;
}
