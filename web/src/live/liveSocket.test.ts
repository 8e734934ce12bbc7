import { describe, expect, it } from 'vitest';
import { LiveSocket } from './liveSocket';

class FakeSocket {
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: Event) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  send(data: string) { this.sent.push(data); }
  close() { this.readyState = 3; this.onclose?.({} as CloseEvent); }
  open() { this.readyState = 1; this.onopen?.({} as Event); }
  push(message: object) { this.onmessage?.({ data: JSON.stringify(message) } as MessageEvent); }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const live = new LiveSocket({
    url: 'ws://test/ws',
    create: () => { const s = new FakeSocket(); sockets.push(s); return s; },
    backoff: (n) => 1000 * 2 ** n,
    setTimer: (fn, ms) => { timers.push({ fn, ms }); return timers.length; },
    clearTimer: () => {},
  });
  return { live, sockets, timers };
}

describe('LiveSocket', () => {
  it('subscribes once per channel and routes messages by channel', () => {
    const { live, sockets } = harness();
    const got: string[] = [];
    live.subscribe('tallies', (m) => got.push(`a:${m.type}`));
    live.subscribe('tallies', (m) => got.push(`b:${m.type}`));
    live.subscribe('season', (m) => got.push(`s:${m.type}`));
    expect(sockets).toHaveLength(1);
    sockets[0]!.open();
    expect(sockets[0]!.sent.map((s) => JSON.parse(s).channel)).toEqual(['tallies', 'season']);
    sockets[0]!.push({ type: 'TallyUpdated', channel: 'tallies' });
    sockets[0]!.push({ type: 'pong' });
    expect(got).toEqual(['a:TallyUpdated', 'b:TallyUpdated']);
  });

  it('reconnects with growing delays and subscribes again; reports its status', () => {
    const { live, sockets, timers } = harness();
    const statuses: string[] = [];
    live.onStatus((s) => statuses.push(s));
    live.subscribe('season', () => {});
    sockets[0]!.open();
    sockets[0]!.close();
    expect(live.status).toBe('down');
    expect(timers.map((t) => t.ms)).toEqual([1000]);
    timers[0]!.fn();
    sockets[1]!.close();
    expect(timers.map((t) => t.ms)).toEqual([1000, 2000]);
    timers[1]!.fn();
    sockets[2]!.open();
    expect(sockets[2]!.sent).toEqual([JSON.stringify({ type: 'subscribe', channel: 'season' })]);
    expect(statuses).toEqual(['open', 'down', 'connecting', 'down', 'connecting', 'open']);
  });

  it('keeps subscription replies from views on the first open, and turns them into a resync after a reconnect', () => {
    const { live, sockets, timers } = harness();
    const got: string[] = [];
    live.subscribe('season', (m) => got.push(m.type));
    sockets[0]!.open();
    sockets[0]!.push({ type: 'subscribed', channel: 'season' });
    expect(got).toEqual([]);
    sockets[0]!.close();
    timers[0]!.fn();
    sockets[1]!.open();
    sockets[1]!.push({ type: 'subscribed', channel: 'season' });
    sockets[1]!.push({ type: 'unsubscribed', channel: 'season' });
    expect(got).toEqual(['resync']);
  });

  it('unsubscribes when the last handler leaves', () => {
    const { live, sockets } = harness();
    const off = live.subscribe('comments:4', () => {});
    sockets[0]!.open();
    off();
    expect(sockets[0]!.sent.at(-1)).toBe(JSON.stringify({ type: 'unsubscribe', channel: 'comments:4' }));
  });
});
