'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { sendJson } from '@/lib/query/fetch-json';
import { settingsKeys } from '@/lib/query/settings';

/** A settings change: sends with the CSRF header (sendJson) and refreshes every settings list on success. */
export function useSettingsMutation<TResult, TVariables>(request: (variables: TVariables) => { path: string; method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (variables: TVariables) => {
      const { path, method, body } = request(variables);
      return sendJson<TResult>(path, { method, body });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: settingsKeys.all }),
  });
}
