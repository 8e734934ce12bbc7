import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Feed } from '../../api/types';
import { localVotes } from './localVotes';

// The open round's feed, stamped with when it was asked for, so that votes cast on this page
// after that moment win over what it says (see localVotes).
export type FeedSnapshot = Feed & { requestedAt: number };

export function useFeed() {
  return useQuery({
    queryKey: ['feed'],
    queryFn: async (): Promise<FeedSnapshot> => {
      const requestedAt = localVotes.clock();
      return { ...(await api.get<Feed>('/api/vote?limit=8')), requestedAt };
    },
    refetchOnWindowFocus: false,
  });
}
