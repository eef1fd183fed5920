/**
 * The analysis views on one screen: charts on top, the log on the left, tables on the right. The
 * line detail takes part of the right column only while a line is selected; otherwise the tables
 * get all of it.
 */
import { ErrorBoundary } from './ErrorBoundary';
import { DetailPanel } from './explain/DetailPanel';
import { ChartsRow } from './panels/ChartsRow';
import { EvaluationStrip } from './panels/EvaluationStrip';
import { TablesPanel } from './panels/TablesPanel';
import { ProgressPanel } from './upload/ProgressPanel';
import { useStagedMount } from './useStagedMount';
import { useLoupe } from '../state/store';
import { LogViewer } from './viewer/LogViewer';

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
          {stage >= 2 && (
            <ErrorBoundary compact name="Evaluation">
              <EvaluationStrip />
            </ErrorBoundary>
          )}
        </div>
        <div className="viewer-area">
          {stage >= 1 && (
            <ErrorBoundary compact name="The log viewer">
              <LogViewer />
            </ErrorBoundary>
          )}
        </div>
        <div className={`side${selected ? ' with-detail' : ''}`}>
          {stage >= 3 && <TablesPanel />}
          {stage >= 3 && selected && (
            <ErrorBoundary compact name="The line detail">
              <DetailPanel />
            </ErrorBoundary>
          )}
        </div>
      </main>
    </div>
  );
}
