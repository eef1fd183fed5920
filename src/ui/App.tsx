/** The page: header, banners, then the empty state or the workspace; drop anywhere; j/k anywhere. */
import { useEffect, useState } from 'react';
import { useLoupe } from '../state/store';
import { Banners } from './Banners';
import { ErrorBoundary } from './ErrorBoundary';
import { Header } from './Header';
import { SettingsDrawer } from './settings/SettingsDrawer';
import { DropOverlay } from './upload/DropOverlay';
import { EmptyState } from './upload/EmptyState';
import { Workspace } from './Workspace';

function useThemeAttribute() {
  const theme = useLoupe((s) => s.theme);
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
}

/** j / k walk the anomalies unless the analyst is typing. */
function useAnomalyKeys() {
  const nextAnomaly = useLoupe((s) => s.nextAnomaly);
  const hasSummary = useLoupe((s) => s.summary !== null);
  useEffect(() => {
    if (!hasSummary) return;
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target?.closest('input, textarea, select, [contenteditable="true"]');
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 'j') void nextAnomaly(1);
      if (event.key === 'k') void nextAnomaly(-1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [hasSummary, nextAnomaly]);
}

export function App() {
  const hasSummary = useLoupe((s) => s.summary !== null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  useThemeAttribute();
  useAnomalyKeys();
  const openSettings = () => setSettingsOpen(true);
  return (
    <ErrorBoundary>
      <div className="app">
        <Header onOpenSettings={openSettings} />
        <Banners />
        {hasSummary ? <Workspace /> : <EmptyState onOpenSettings={openSettings} />}
      </div>
      <DropOverlay />
      {settingsOpen && <SettingsDrawer onClose={() => setSettingsOpen(false)} />}
    </ErrorBoundary>
  );
}
