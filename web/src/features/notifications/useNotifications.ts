import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useSession } from '../../api/session';
import type { NotificationPage } from '../../api/types';
import { useLiveChannel } from '../../live/useLive';

// The signed-in person's unread count: fetched once, refreshed when a notification arrives on
// their live "me" channel (and every minute as a fallback). 0 when signed out.
export function useUnreadCount(): number {
  const { data: session } = useSession();
  const signedIn = !!session?.user;
  const qc = useQueryClient();
  useLiveChannel(signedIn ? 'me' : null, (m) => {
    if (m.type === 'Notification') void qc.invalidateQueries({ queryKey: ['notifications'] });
  });
  const { data } = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => api.get<NotificationPage>('/api/notifications?limit=1'),
    enabled: signedIn,
    refetchInterval: 60_000,
  });
  return signedIn ? (data?.unreadCount ?? 0) : 0;
}
