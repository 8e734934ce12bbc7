import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from './client';
import type { Session } from './types';

export function useSession() {
  return useQuery({ queryKey: ['session'], queryFn: () => api.get<Session>('/api/auth/session'), staleTime: 30_000 });
}

export function useSignOut() {
  const qc = useQueryClient();
  return async () => {
    const r = await api.post<{ csrfToken: string }>('/api/auth/logout');
    setCsrfToken(r.csrfToken);
    await qc.invalidateQueries();
  };
}
