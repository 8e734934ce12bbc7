// One WebSocket to /ws shared by the whole app. Components subscribe to channels; the socket
// (re)subscribes whatever is wanted each time it opens, reconnects with capped exponential
// backoff, and reports its status so views can fall back to polling while it is down.

export type LiveStatus = 'connecting' | 'open' | 'down';

export interface LiveMessage {
  type: string;
  channel?: string;
  [key: string]: unknown;
}

type Handler = (message: LiveMessage) => void;
type SocketLike = Pick<WebSocket, 'send' | 'close' | 'readyState'> & {
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
};

export interface LiveSocketOptions {
  url: string;
  create?: (url: string) => SocketLike;
  // Delay before reconnect attempt `n` (0-based).
  backoff?: (attempt: number) => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export function defaultBackoff(attempt: number): number {
  const base = Math.min(30_000, 1000 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

export class LiveSocket {
  private socket: SocketLike | null = null;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly statusListeners = new Set<(status: LiveStatus) => void>();
  private attempt = 0;
  private timer: unknown = null;
  private started = false;
  // Whether a socket was open before this one: its subscriptions then mean a resync.
  private openedBefore = false;
  private reconnected = false;
  status: LiveStatus = 'connecting';

  constructor(private readonly options: LiveSocketOptions) {}

  subscribe(channel: string, handler: Handler): () => void {
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      this.send({ type: 'subscribe', channel });
    }
    set.add(handler);
    this.start();
    return () => {
      const current = this.handlers.get(channel);
      if (!current) return;
      current.delete(handler);
      if (current.size === 0) {
        this.handlers.delete(channel);
        this.send({ type: 'unsubscribe', channel });
      }
    };
  }

  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  // Reconnects at once (e.g. when the tab becomes visible again) if the socket is down.
  wake(): void {
    if (this.status !== 'down') return;
    if (this.timer !== null) (this.options.clearTimer ?? clearTimeout)(this.timer as number);
    this.timer = null;
    this.connect();
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.connect();
  }

  private send(message: object): void {
    if (this.socket && this.socket.readyState === 1) this.socket.send(JSON.stringify(message));
  }

  private setStatus(status: LiveStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private connect(): void {
    const create = this.options.create ?? ((url: string) => new WebSocket(url) as SocketLike);
    let socket: SocketLike;
    try {
      socket = create(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.setStatus('connecting');
    socket.onopen = () => {
      this.reconnected = this.openedBefore;
      this.openedBefore = true;
      this.attempt = 0;
      for (const channel of this.handlers.keys()) this.send({ type: 'subscribe', channel });
      this.setStatus('open');
    };
    socket.onmessage = (event) => {
      let message: LiveMessage;
      try {
        message = JSON.parse(String(event.data)) as LiveMessage;
      } catch {
        return;
      }
      const channel = message.channel;
      if (!channel || message.type === 'unsubscribed') return;
      if (message.type === 'subscribed') {
        // The first subscription has nothing to catch up on (the page loaded its data just now):
        // passing it on made views refresh what they had just fetched, and a refresh crossing a
        // vote took the vote back. After a reconnect, events may have been missed while the
        // socket was down, so the views hear a resync and fetch again.
        if (!this.reconnected) return;
        message = { type: 'resync', channel };
      }
      for (const handler of this.handlers.get(channel) ?? []) handler(message);
    };
    socket.onerror = () => { /* onclose follows */ };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setStatus('down');
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    const delay = (this.options.backoff ?? defaultBackoff)(this.attempt++);
    this.timer = (this.options.setTimer ?? setTimeout)(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}

let shared: LiveSocket | null = null;

// The app's socket, created on first use.
export function liveSocket(): LiveSocket {
  if (!shared) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    shared = new LiveSocket({ url: `${scheme}//${location.host}/ws` });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') shared?.wake();
    });
  }
  return shared;
}
