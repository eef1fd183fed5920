/** Starts the sharing store once (labels from IndexedDB and other tabs, the saved list) and the #hash view sync. */
import { useEffect } from 'react';
import { loupeStore, sharingStore } from '../../state/store';
import { syncViewHash } from '../../state/viewHash';

export function useSharingStarted(): void {
  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    const stopHash = syncViewHash(loupeStore);
    void sharingStore
      .getState()
      .start()
      .then((unsubscribe) => {
        if (cancelled) unsubscribe();
        else stop = unsubscribe;
      });
    return () => {
      cancelled = true;
      stop?.();
      stopHash();
    };
  }, []);
}
