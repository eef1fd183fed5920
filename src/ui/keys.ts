/**
 * Every keyboard shortcut, in one table: the key handler (useKeyBindings) and the help overlay
 * (`?`) both read it, so a key that works is a key that is listed. Add new keys here.
 */
import { useEffect } from 'react';
import type { LoupeState } from '../state/store';
import { loupeStore, sharingStore } from '../state/store';

interface KeyContext {
  state: LoupeState;
  /** Puts the caret in the viewer's search box. */
  focusSearch(): void;
}

export interface KeyBinding {
  /** `KeyboardEvent.key` values that trigger it. */
  keys: string[];
  /** How the help overlay writes the keys. */
  shown: string;
  /** What it does, in the analyst's words. */
  help: string;
  group: 'Move' | 'Find' | 'View' | 'Label';
  /** Runs also while typing in a text field (Esc only). */
  whileTyping?: boolean;
  run(ctx: KeyContext): void;
}

export const KEY_BINDINGS: KeyBinding[] = [
  {
    keys: ['j', 'n'],
    shown: 'j  n',
    help: 'Next flagged line (in the viewer’s order)',
    group: 'Move',
    run: ({ state }) => void state.stepFlagged(1),
  },
  { keys: ['k', 'N'], shown: 'k  N', help: 'Previous flagged line', group: 'Move', run: ({ state }) => void state.stepFlagged(-1) },
  { keys: ['ArrowDown'], shown: '↓', help: 'Select the next line', group: 'Move', run: ({ state }) => void state.moveSelection(1) },
  { keys: ['ArrowUp'], shown: '↑', help: 'Select the previous line', group: 'Move', run: ({ state }) => void state.moveSelection(-1) },
  { keys: ['PageDown'], shown: 'PgDn', help: 'Select 20 lines down', group: 'Move', run: ({ state }) => void state.moveSelection(20) },
  { keys: ['PageUp'], shown: 'PgUp', help: 'Select 20 lines up', group: 'Move', run: ({ state }) => void state.moveSelection(-20) },
  { keys: ['g', 'Home'], shown: 'g', help: 'First line of the viewer', group: 'Move', run: ({ state }) => void state.selectEdge('first') },
  { keys: ['G', 'End'], shown: 'G', help: 'Last line of the viewer', group: 'Move', run: ({ state }) => void state.selectEdge('last') },
  {
    keys: ['/'],
    shown: '/',
    help: 'Search (words, -word to exclude, .* for a regular expression)',
    group: 'Find',
    run: ({ focusSearch }) => focusSearch(),
  },
  {
    keys: ['f'],
    shown: 'f',
    help: 'Only flagged lines (toggle)',
    group: 'Find',
    run: ({ state }) => state.setFilter({ flaggedAt: state.filter.flaggedAt === undefined ? state.threshold : undefined }),
  },
  {
    keys: ['Escape'],
    shown: 'Esc',
    help: 'Close this help, else clear the filters, else the selection',
    group: 'Find',
    whileTyping: true,
    run: ({ state }) => state.escape(),
  },
  {
    keys: ['o'],
    shown: 'o',
    help: 'Order the viewer by file position or by score',
    group: 'View',
    run: ({ state }) => state.setOrder(state.filter.order === 'score' ? 'file' : 'score'),
  },
  {
    keys: ['w'],
    shown: 'w',
    help: 'Wrap long messages',
    group: 'View',
    run: ({ state }) => state.setViewerLayout({ wrap: !state.viewerLayout.wrap }),
  },
  {
    keys: ['h'],
    shown: 'h',
    help: 'Show or fold the header fields (time, host, level)',
    group: 'View',
    run: ({ state }) => state.setViewerLayout({ headerFields: !state.viewerLayout.headerFields }),
  },
  { keys: ['?'], shown: '?', help: 'Show these keys', group: 'View', run: ({ state }) => state.setHelpOpen(!state.helpOpen) },
  // Labels (state/sharing.ts): on the line open in the detail panel; the same key again clears it.
  {
    keys: ['a'],
    shown: 'a',
    help: 'Mark the selected line an anomaly (again: clear)',
    group: 'Label',
    run: ({ state }) => labelSelectedLine(state, 1),
  },
  {
    keys: ['x'],
    shown: 'x',
    help: 'Mark the selected line normal, a false positive (again: clear)',
    group: 'Label',
    run: ({ state }) => labelSelectedLine(state, 0),
  },
  {
    keys: ['c'],
    shown: 'c',
    help: 'Write a note on the selected line',
    group: 'Label',
    run: ({ state }) => {
      if (state.detail) sharingStore.getState().setNoteOpen(true);
    },
  },
];

function labelSelectedLine(state: LoupeState, verdict: 0 | 1): void {
  const row = state.detail?.row;
  if (!row) return;
  const sharing = sharingStore.getState();
  const subject = { target: 'line' as const, row };
  void sharing.setVerdict(subject, sharing.labelOf(subject)?.verdict === verdict ? null : verdict);
}

/** The binding for a key press, if any. */
function bindingFor(key: string): KeyBinding | undefined {
  return KEY_BINDINGS.find((b) => b.keys.includes(key));
}

function focusSearch(): void {
  const box = document.querySelector<HTMLInputElement>('[data-testid="viewer-search"]');
  box?.focus();
  box?.select();
}

/** Listens for the table's keys on the whole page (not while typing, except Esc). */
export function useKeyBindings(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const binding = bindingFor(event.key);
      if (!binding) return;
      const target = event.target as HTMLElement | null;
      const typing = target?.closest('input, textarea, select, [contenteditable="true"]');
      if (typing && !binding.whileTyping) return;
      // Inside a dialog (settings) keys belong to the dialog.
      if (target?.closest('[role="dialog"]:not([data-keys-pass])')) return;
      if (typing && event.key === 'Escape') (target as HTMLElement).blur();
      event.preventDefault();
      binding.run({ state: loupeStore.getState(), focusSearch });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
