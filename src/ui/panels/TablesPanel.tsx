/** Top anomalies, the Label next list (issue 12), templates, sessions and the PR curve, as tabs sharing one panel. */
import { useState } from 'react';
import { useLoupe } from '../../state/store';
import { PrCurve } from '../charts/PrCurve';
import { ErrorBoundary } from '../ErrorBoundary';
import { formatCount } from '../format';
import { SessionTable } from '../tables/SessionTable';
import { TemplateTable } from '../tables/TemplateTable';
import { TopAnomalies } from './TopAnomalies';
import { LabelNextTab } from '../labels/Learning';

type Tab = 'top' | 'next' | 'templates' | 'sessions' | 'pr';

export function TablesPanel() {
  const templateCount = useLoupe((s) => s.summary?.templates.length ?? 0);
  const sessionCount = useLoupe((s) => s.summary?.sessions.length ?? 0);
  const metrics = useLoupe((s) => s.thresholdView?.metrics ?? s.summary?.metrics);
  const topCount = useLoupe((s) => s.topAnomalies?.length);
  const [wanted, setTab] = useState<Tab>('top');
  // A tab whose data vanished (new log without sessions) falls back to templates.
  const tab: Tab = (wanted === 'sessions' && sessionCount === 0) || (wanted === 'pr' && !metrics) ? 'templates' : wanted;
  const tabButton = (id: Tab, label: string) => (
    <button className="tab" role="tab" aria-selected={tab === id} onClick={() => setTab(id)}>
      {label}
    </button>
  );
  return (
    <section className="panel" data-testid="tables-panel">
      <div className="panel-head" role="tablist">
        <div className="tabs">
          {tabButton('top', `Top anomalies${topCount === undefined ? '' : ` (${formatCount(topCount)}${topCount >= 100 ? '+' : ''})`}`)}
          {tabButton('next', 'Label next')}
          {tabButton('templates', `Templates (${formatCount(templateCount)})`)}
          {sessionCount > 0 && tabButton('sessions', `Sessions (${formatCount(sessionCount)})`)}
          {metrics && tabButton('pr', 'PR curve')}
        </div>
      </div>
      <div style={{ flex: '1 1 auto', minHeight: 0 }}>
        <ErrorBoundary compact name="This table">
          {tab === 'top' && <TopAnomalies />}
          {tab === 'next' && <LabelNextTab />}
          {tab === 'templates' && <TemplateTable />}
          {tab === 'sessions' && <SessionTable />}
          {tab === 'pr' && (
            <div style={{ height: '100%', padding: 6 }}>
              <PrCurve metrics={metrics} />
            </div>
          )}
        </ErrorBoundary>
      </div>
    </section>
  );
}
