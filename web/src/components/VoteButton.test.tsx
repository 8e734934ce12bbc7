import { render, screen, fireEvent, cleanup } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VoteButton } from './VoteButton';
import { ringColor } from './ProgressRing';

afterEach(cleanup);

describe('VoteButton', () => {
  it('votes when idle and undoes when voted', () => {
    const onToggle = vi.fn();
    const { rerender } = render(<VoteButton state="idle" used={0} limit={200} showRing onToggle={onToggle} />);
    const button = screen.getByRole('button', { name: 'Vote for this clip' });
    expect(button.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(button);
    expect(onToggle).toHaveBeenCalledTimes(1);
    rerender(<VoteButton state="voted" used={1} limit={200} showRing onToggle={onToggle} />);
    const undo = screen.getByRole('button', { name: 'Undo vote' });
    expect(undo.getAttribute('aria-pressed')).toBe('true');
    // The check mark replaces the ∞ (icons from the SVG set, not text glyphs).
    expect(undo.querySelector('svg.lucide-check')).not.toBeNull();
    expect(undo.querySelector('svg.lucide-infinity')).toBeNull();
  });

  it('is disabled at the daily limit and when voting is closed', () => {
    for (const state of ['limit', 'closed'] as const) {
      const { unmount } = render(<VoteButton state={state} used={200} limit={200} showRing onToggle={() => {}} />);
      expect((screen.getByRole('button') as HTMLButtonElement).disabled).toBe(true);
      unmount();
    }
    render(<VoteButton state="limit" used={200} limit={200} showRing onToggle={() => {}} />);
    expect(screen.getByRole('button', { name: 'Daily vote limit reached' })).toBeTruthy();
  });

  it('keeps focus while a vote is in flight: aria-disabled, and clicks are ignored', () => {
    const onToggle = vi.fn();
    render(<VoteButton state="pending" used={1} limit={200} showRing onToggle={onToggle} />);
    const button = screen.getByRole('button') as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(button);
    expect(onToggle).not.toHaveBeenCalled();
  });

  it('shows the progress ring only when the flag is on', () => {
    const { container, rerender } = render(<VoteButton state="idle" used={10} limit={200} showRing onToggle={() => {}} />);
    expect(container.querySelector('[data-testid="progress-ring"]')).not.toBeNull();
    rerender(<VoteButton state="idle" used={10} limit={200} showRing={false} onToggle={() => {}} />);
    expect(container.querySelector('[data-testid="progress-ring"]')).toBeNull();
  });
});

describe('progress ring colours', () => {
  it('goes blue → cyan → green → gold as the day is used', () => {
    expect(ringColor(0, 200)).toBe('#3d7bff');
    expect(ringColor(49, 200)).toBe('#3d7bff');
    expect(ringColor(50, 200)).toBe('#3cf2ff');
    expect(ringColor(100, 200)).toBe('#2fe38a');
    expect(ringColor(149, 200)).toBe('#2fe38a');
    expect(ringColor(150, 200)).toBe('#ffc83d');  // gold from 75 %, as the spec says
    expect(ringColor(199, 200)).toBe('#ffc83d');
    expect(ringColor(200, 200)).toBe('#ffc83d');
  });
});
