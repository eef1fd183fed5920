/**
 * The start page's list of analyses saved in this browser: name, date, size (and how much of it
 * is log lines), records and top finding; open one (no recomputing), delete one or all; and how
 * much of the browser's storage the site uses.
 */
import { useEffect } from 'react';
import { formatBytes } from '../../core/bundle/gzip';
import { useSharing } from '../../state/store';
import { formatCount } from '../format';
import { CachedModels } from './CachedModels';
import { DeleteButton } from './DeleteButton';

export function StorageUse() {
  const storage = useSharing((s) => s.storage);
  if (!storage) return null;
  const share = storage.quota ? storage.usage / storage.quota : 0;
  return (
    <span
      className="muted"
      data-testid="storage-use"
      title={
        storage.persisted ? 'The browser will not evict it under storage pressure.' : 'The browser may evict it when space runs short.'
      }
    >
      {formatBytes(storage.usage)} used of {formatBytes(storage.quota)} ({(share * 100).toFixed(share < 0.01 ? 2 : 0)}%)
    </span>
  );
}

export function SavedAnalyses() {
  const saved = useSharing((s) => s.saved);
  const busy = useSharing((s) => s.busy);
  const refresh = useSharing((s) => s.refreshSaved);
  const open = useSharing((s) => s.openSaved);
  const remove = useSharing((s) => s.deleteSaved);
  const removeAll = useSharing((s) => s.deleteAllSaved);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  if (!saved?.length) return <CachedModels />;
  return (
    <section className="panel saved-analyses" data-testid="saved-analyses">
      <div className="panel-head">
        <span className="panel-title">Saved in this browser</span>
        <StorageUse />
        <span className="grow" />
        <button
          className="btn small"
          disabled={!!busy}
          data-testid="saved-delete-all"
          onClick={() => {
            if (confirm(`Delete all ${saved.length} saved analyses? Labels stay.`)) void removeAll();
          }}
        >
          Delete all
        </button>
      </div>
      <div className="panel-body">
        <table className="saved-table">
          <thead>
            <tr>
              <th>name</th>
              <th>saved</th>
              <th>size</th>
              <th>lines</th>
              <th>top finding</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {saved.map((a) => (
              <tr key={a.id} data-testid="saved-row">
                <td title={a.files.join(', ')}>{a.name}</td>
                <td>{new Date(a.savedAt).toLocaleString()}</td>
                <td title={a.hasLines ? `${formatBytes(a.lineBytes)} of it is the log lines` : 'Saved without the log lines'}>
                  {formatBytes(a.bytes)}
                  {a.hasLines ? '' : ' (no lines)'}
                </td>
                <td>{formatCount(a.records)}</td>
                <td className="mono">{a.topFinding}</td>
                <td className="inline">
                  <button className="btn small primary" disabled={!!busy} onClick={() => void open(a.id)} data-testid="saved-open">
                    Open
                  </button>
                  <DeleteButton disabled={!!busy} onDelete={() => void remove(a.id)} ariaLabel={`Delete ${a.name}`} testId="saved-delete" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <CachedModels />
      </div>
    </section>
  );
}
