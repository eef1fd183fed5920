/**
 * The analysis views on one screen: charts on top, the log on the left, tables on the right. The
 * line detail takes part of the right column only while a line is selected; otherwise the tables
 * get all of it.
 */
import { memo, type ReactNode } from 'react';
import { ErrorBoundary } from './ErrorBoundary';
import { DetailPanel } from './explain/DetailPanel';
import { ChartsRow } from './panels/ChartsRow';
import { EvaluationStrip } from './panels/EvaluationStrip';
import { TablesPanel } from './panels/TablesPanel';
import { ProgressPanel } from './upload/ProgressPanel';
import { useStagedMount } from './useStagedMount';
import { useLoupe } from '../state/store';
import { LogViewer } from './viewer/LogViewer';

// Memoised (they take no props): each stage and each selection re-renders the workspace, and
// re-rendering the viewer, the strip and the tables with it for nothing lengthened those tasks.
const Viewer = memo(LogViewer);
const Evaluation = memo(EvaluationStrip);
const Tables = memo(TablesPanel);
const Detail = memo(DetailPanel);

/** A view mounted once its stage comes, and kept apart: if it throws, only it shows the error. */
function Guarded({ shown, name, children }: { shown: boolean; name: string; children: ReactNode }) {
  return shown ? (
    <ErrorBoundary compact name={name}>
      {children}
    </ErrorBoundary>
  ) : null;
}

export function Workspace() {
  // Viewer first (what the analyst reads), then the charts, then tables and detail.
  const stage = useStagedMount(3);
  const selected = useLoupe((s) => s.selection.record !== undefined);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}>
      <ProgressPanel />
      <main className="workspace" style={{ flex: '1 1 auto' }}>
        {stage >= 2 ? <ChartsRow /> : <div className="charts" />}
        <div className="eval">
          <Guarded shown={stage >= 2} name="Evaluation">
            <Evaluation />
          </Guarded>
        </div>
        <div className="viewer-area">
          <Guarded shown={stage >= 1} name="The log viewer">
            <Viewer />
          </Guarded>
        </div>
        <div className={`side${selected ? ' with-detail' : ''}`}>
          {stage >= 3 && <Tables />}
          <Guarded shown={stage >= 3 && selected} name="The line detail">
            <Detail />
          </Guarded>
        </div>
      </main>
    </div>
  );
}
