/** Hub models kept by this browser after their first download, with their size; delete to free space. */
import { useCallback, useEffect, useState } from 'react';
import { formatBytes } from '../../core/bundle/gzip';
import { deleteCachedModel, listCachedModels, type CachedModel } from '../../core/saved/modelCache';
import { DeleteButton } from './DeleteButton';

export function CachedModels() {
  const [models, setModels] = useState<CachedModel[]>([]);
  const refresh = useCallback(() => {
    listCachedModels().then(setModels, () => setModels([]));
  }, []);
  useEffect(refresh, [refresh]);
  if (!models.length) return null;
  return (
    <div className="cached-models" data-testid="cached-models">
      <div className="section-title">Downloaded models (kept for offline use)</div>
      <table className="saved-table">
        <tbody>
          {models.map((m) => (
            <tr key={m.modelId}>
              <td className="mono">{m.modelId}</td>
              <td>{m.files} files</td>
              <td>{formatBytes(m.bytes)}</td>
              <td>
                <DeleteButton onDelete={() => void deleteCachedModel(m).then(refresh)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
