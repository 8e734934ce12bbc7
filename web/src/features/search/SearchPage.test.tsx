import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SearchPage } from './SearchPage';

vi.mock('../../api/client', () => ({
  api: { get: vi.fn(async () => ({ clips: [], creators: [], nextCursor: null })) },
}));

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function renderAt(path: string) {
  window.history.replaceState(null, '', path);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <BrowserRouter><SearchPage /></BrowserRouter>
    </QueryClientProvider>,
  );
}

describe('SearchPage', () => {
  it('keeps the chosen tab when a query is typed before the tab change has rendered', async () => {
    vi.useFakeTimers();
    renderAt('/search?q=sta');
    // Both in one batch: the tab's navigation is still a pending transition when the typing
    // renders, which is what a loaded phone sees between a tap and the next keystroke.
    act(() => {
      fireEvent.click(screen.getByRole('tab', { name: 'Creators' }));
      fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'uplo' } });
    });
    await act(async () => { await vi.advanceTimersByTimeAsync(300); });
    const search = new URLSearchParams(window.location.search);
    expect(search.get('type')).toBe('creators');
    expect(search.get('q')).toBe('uplo');
  });

  it('writes the typed query into the URL after a pause, keeping the other filters', async () => {
    vi.useFakeTimers();
    renderAt('/search?sort=new&genre=Comedy');
    act(() => { fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'fox' } }); });
    expect(new URLSearchParams(window.location.search).get('q')).toBeNull();
    await act(async () => { await vi.advanceTimersByTimeAsync(300); });
    expect(Object.fromEntries(new URLSearchParams(window.location.search))).toEqual({ sort: 'new', genre: 'Comedy', q: 'fox' });
  });
});
