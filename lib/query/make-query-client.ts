import { isServer, QueryClient } from '@tanstack/react-query';

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // With server prefetch, a non-zero staleTime stops the client refetching right after hydration.
      queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: true },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

/**
 * The TanStack Next.js pattern: a new client per server request (no data shared between users),
 * one client for the browser's lifetime (React may re-create providers during suspense).
 */
export function makeQueryClient(): QueryClient {
  if (isServer) return createQueryClient();
  browserQueryClient ??= createQueryClient();
  return browserQueryClient;
}
