/** Starts the sharing store once (labels from IndexedDB and other tabs, the saved list). */
import { useEffect } from 'react';
import { sharingStore } from '../../state/store';

export function useSharingStarted(): void {
  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    void sharingStore.getState().start().then((unsubscribe) => {
      if (cancelled) unsubscribe();
      else stop = unsubscribe;
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, []);
}
