/**
 * The view in the URL's #hash (issue 11 §5): the selected line, the threshold, the viewer's
 * filters, the unit and the detector. A link plus a bundle (or the same log) reproduces a view:
 * the hash is read once an analysis is shown and written (replaceState, no history entry) as the
 * analyst moves. Nothing of the log itself goes in it beyond what the analyst typed in a filter.
 */
import type { DetectorKind, RowFilter, ScoringUnit } from '../core/analysis/types';
import type { LoupeStore } from './createStore';

export interface ViewState {
  record?: number;
  threshold?: number;
  filter: RowFilter;
  unit?: ScoringUnit;
  detector?: DetectorKind;
}

const UNITS: readonly ScoringUnit[] = ['line', 'template', 'session', 'window'];
const DETECTORS: readonly DetectorKind[] = ['forest', 'surprise', 'fused'];
const MAX_TEXT = 500;

function num(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function int(value: string | null): number | undefined {
  const n = num(value);
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The hash for a view (without '#'); empty parts are left out. */
export function encodeView(view: ViewState): string {
  const p = new URLSearchParams();
  const f = view.filter;
  if (view.record !== undefined) p.set('line', String(view.record));
  if (view.threshold !== undefined && Number.isFinite(view.threshold)) p.set('t', String(Number(view.threshold.toPrecision(6))));
  if (view.unit) p.set('unit', view.unit);
  if (view.detector) p.set('det', view.detector);
  if (f.text) p.set('q', f.text.slice(0, MAX_TEXT));
  if (f.regex) p.set('re', '1');
  if (f.negate) p.set('not', '1');
  if (f.levels?.length) p.set('lv', f.levels.join(','));
  if (f.templateId !== undefined) p.set('tpl', String(f.templateId));
  if (f.templateIds?.length) p.set('tpls', f.templateIds.join(','));
  if (f.session) p.set('ses', f.session.slice(0, MAX_TEXT));
  if (f.range) p.set('range', f.range.join(','));
  if (f.order) p.set('order', f.order);
  if (f.flaggedAt !== undefined) p.set('flagged', '1');
  if (f.minScore !== undefined) p.set('min', String(f.minScore));
  if (f.maxScore !== undefined) p.set('max', String(f.maxScore));
  return p.toString();
}

/** The view a hash describes; anything malformed is left out, never thrown. */
export function decodeView(hash: string): ViewState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const filter: RowFilter = {};
  const text = p.get('q');
  if (text) filter.text = text.slice(0, MAX_TEXT);
  if (p.get('re') === '1') filter.regex = true;
  if (p.get('not') === '1') filter.negate = true;
  const levels = p
    .get('lv')
    ?.split(',')
    .filter((l) => /^[A-Z]{1,12}$/.test(l));
  if (levels?.length) filter.levels = levels;
  const tpl = int(p.get('tpl'));
  if (tpl !== undefined) filter.templateId = tpl;
  const tpls = p
    .get('tpls')
    ?.split(',')
    .map((t) => int(t))
    .filter((t): t is number => t !== undefined);
  if (tpls?.length) filter.templateIds = tpls.slice(0, 1000);
  const session = p.get('ses');
  if (session) filter.session = session.slice(0, MAX_TEXT);
  const range = p
    .get('range')
    ?.split(',')
    .map((v) => num(v));
  if (range?.length === 2 && range[0] !== undefined && range[1] !== undefined && range[0] <= range[1]) filter.range = [range[0], range[1]];
  const order = p.get('order');
  if (order === 'file' || order === 'score') filter.order = order;
  const min = num(p.get('min'));
  if (min !== undefined) filter.minScore = min;
  const max = num(p.get('max'));
  if (max !== undefined) filter.maxScore = max;
  const threshold = num(p.get('t'));
  if (p.get('flagged') === '1' && threshold !== undefined) filter.flaggedAt = threshold;
  const unit = p.get('unit') as ScoringUnit | null;
  const detector = p.get('det') as DetectorKind | null;
  return {
    record: int(p.get('line')),
    threshold,
    filter,
    unit: unit && UNITS.includes(unit) ? unit : undefined,
    detector: detector && DETECTORS.includes(detector) ? detector : undefined,
  };
}

export interface HashLocation {
  read(): string;
  write(hash: string): void;
}

export const browserHash: HashLocation = {
  read: () => globalThis.location?.hash ?? '',
  write: (hash) => {
    const url = `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, '', url);
  },
};

/**
 * Keeps the hash and the main store in step: a hash present when the first analysis of the page
 * is shown is applied to it (unit and detector by re-scoring, then threshold, filter, line); from
 * then on the hash follows the view. Returns the unsubscribe function.
 */
export function syncViewHash(main: LoupeStore, where: HashLocation = browserHash): () => void {
  let pending: ViewState | undefined = where.read().length > 1 ? decodeView(where.read()) : undefined;
  let applying = false;
  const current = (): ViewState => {
    const s = main.getState();
    return {
      record: s.selection.record,
      threshold: s.summary ? s.threshold : undefined,
      filter: s.filter,
      unit: s.summary?.settings.unit,
      detector: s.summary?.settings.detector,
    };
  };
  async function apply(view: ViewState): Promise<void> {
    applying = true;
    try {
      let s = main.getState();
      const settings = s.summary?.settings;
      if (settings && ((view.unit && view.unit !== settings.unit) || (view.detector && view.detector !== settings.detector))) {
        await s.applySettings({ ...s.settings, unit: view.unit ?? settings.unit, detector: view.detector ?? settings.detector });
        s = main.getState();
      }
      if (view.threshold !== undefined) s.setThreshold(view.threshold);
      if (Object.keys(view.filter).length) s.setFilter(view.filter);
      if (view.record !== undefined && s.summary && view.record < s.summary.records) await s.selectRecord(view.record, { jump: true });
    } finally {
      applying = false;
      where.write(encodeView(current()));
    }
  }
  return main.subscribe((state, previous) => {
    if (!state.summary || state.run) return;
    if (pending && state.summary !== previous.summary) {
      const view = pending;
      pending = undefined;
      void apply(view);
      return;
    }
    if (applying) return;
    if (
      state.selection !== previous.selection ||
      state.threshold !== previous.threshold ||
      state.filter !== previous.filter ||
      state.summary !== previous.summary
    ) {
      where.write(encodeView(current()));
    }
  });
}
