import { useEffect, useRef, useSyncExternalStore } from 'react';
import { liveSocket, type LiveMessage, type LiveStatus } from './liveSocket';

// Follows a channel while the component is mounted (null: follow nothing). The latest handler
// is always used without resubscribing.
export function useLiveChannel(channel: string | null, handler: (message: LiveMessage) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!channel) return undefined;
    return liveSocket().subscribe(channel, (m) => latest.current(m));
  }, [channel]);
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(
    (notify) => liveSocket().onStatus(notify),
    () => liveSocket().status,
  );
}

// Polling interval for queries that the socket keeps fresh: none while it is open, 30 s
// while it is down.
export function usePollWhileDown(): number | false {
  return useLiveStatus() === 'open' ? false : 30_000;
}
