/**
 * Drag-and-drop anywhere on the page. While files are dragged over the window a full-page overlay
 * offers two targets: the log to analyse, or a known-good reference log. A drop outside the targets
 * counts as a log to analyse (or a reference when the header toggle is on).
 */
import { useEffect, useRef, useState } from 'react';
import { useLoupe } from '../../state/store';

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

export function DropOverlay() {
  const openFiles = useLoupe((s) => s.openFiles);
  const hasSummary = useLoupe((s) => s.summary !== null);
  const [dragging, setDragging] = useState(false);
  const [over, setOver] = useState<'target' | 'reference' | null>(null);
  const depth = useRef(0);

  useEffect(() => {
    const enter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current++;
      setDragging(true);
    };
    const leave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      // dragleave fires for every child crossed; only leaving the window ends the drag.
      depth.current = Math.max(depth.current - 1, 0);
      if (depth.current === 0) setDragging(false);
    };
    const overWindow = (event: DragEvent) => {
      if (carriesFiles(event)) event.preventDefault();
    };
    const drop = (event: DragEvent) => {
      event.preventDefault();
      depth.current = 0;
      setDragging(false);
      setOver(null);
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length === 0) return;
      const onReference = event.target instanceof Element && event.target.closest('[data-drop-role="reference"]') !== null;
      const onTarget = event.target instanceof Element && event.target.closest('[data-drop-role="target"]') !== null;
      void openFiles(files, onReference ? 'reference' : onTarget ? 'target' : undefined);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overWindow);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overWindow);
      window.removeEventListener('drop', drop);
    };
  }, [openFiles]);

  if (!dragging) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay">
      <div className={`drop-target${over === 'target' ? ' over' : ''}`} data-drop-role="target" onDragEnter={() => setOver('target')}>
        Drop to analyse
        <small>log files (.log, .txt, .gz, .jsonl) and an optional labels CSV</small>
      </div>
      <div
        className={`drop-target${over === 'reference' ? ' over' : ''}`}
        data-drop-role="reference"
        onDragEnter={() => setOver('reference')}
      >
        Drop as known-good reference
        <small>{hasSummary ? 'the views will then show what is new in the current log' : 'then drop the log to check against it'}</small>
      </div>
    </div>
  );
}
