/** The analysis views on one screen: charts on top, the log on the left, tables and detail on the right. */
import { ErrorBoundary } from './ErrorBoundary';
import { DetailPanel } from './explain/DetailPanel';
import { ChartsRow } from './panels/ChartsRow';
import { EvaluationStrip } from './panels/EvaluationStrip';
import { TablesPanel } from './panels/TablesPanel';
import { ProgressPanel } from './upload/ProgressPanel';
import { LogViewer } from './viewer/LogViewer';

export function Workspace() {
  return (
    <div style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}>
      <ProgressPanel />
      <main className="workspace" style={{ flex: '1 1 auto' }}>
        <ChartsRow />
        <div className="eval"><ErrorBoundary compact name="Evaluation"><EvaluationStrip /></ErrorBoundary></div>
        <div className="viewer-area"><ErrorBoundary compact name="The log viewer"><LogViewer /></ErrorBoundary></div>
        <div className="side">
          <TablesPanel />
          <ErrorBoundary compact name="The line detail"><DetailPanel /></ErrorBoundary>
        </div>
      </main>
    </div>
  );
}
