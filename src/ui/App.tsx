/** The page: header, banners, then the empty state or the workspace; drop anywhere; keys anywhere (keys.ts). */
import { useEffect, useState } from 'react';
import { HelpOverlay } from './HelpOverlay';
import { useKeyBindings } from './keys';
import { useLoupe } from '../state/store';
import { Banners } from './Banners';
import { ErrorBoundary } from './ErrorBoundary';
import { Header } from './Header';
import { SettingsDrawer } from './settings/SettingsDrawer';
import { DropOverlay } from './upload/DropOverlay';
import { EmptyState } from './upload/EmptyState';
import { Workspace } from './Workspace';
import { SavedAnalyses } from './saved/SavedAnalyses';
import { SharingBanner } from './saved/SharingBanner';
import { useSharingStarted } from './saved/useSharingStarted';

/** The page always carries the theme in force ('system' resolved here), so the CSS has one dark palette. */
function useThemeAttribute() {
  const theme = useLoupe((s) => s.theme);
  useEffect(() => {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      document.documentElement.dataset.theme = theme === 'system' ? (query.matches ? 'dark' : 'light') : theme;
    };
    apply();
    if (theme !== 'system') return;
    query.addEventListener('change', apply);
    return () => query.removeEventListener('change', apply);
  }, [theme]);
}

export function App() {
  const hasSummary = useLoupe((s) => s.summary !== null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  useThemeAttribute();
  // Labels from this browser and other tabs, the saved list (state/sharing.ts).
  useSharingStarted();
  // Every key of keys.ts (j/k, n/N, g/G, arrows, /, Esc, ?...), listed by the ? overlay.
  useKeyBindings(true);
  const openSettings = () => setSettingsOpen(true);
  return (
    <ErrorBoundary>
      <div className="app">
        <Header onOpenSettings={openSettings} />
        <Banners />
        <SharingBanner />
        {hasSummary ? (
          <Workspace />
        ) : (
          <>
            <EmptyState onOpenSettings={openSettings} />
            <SavedAnalyses />
          </>
        )}
      </div>
      <DropOverlay />
      <HelpOverlay />
      {settingsOpen && <SettingsDrawer onClose={() => setSettingsOpen(false)} />}
    </ErrorBoundary>
  );
}
