export { ScoreTimeline, type ScoreTimelineProps } from './ScoreTimeline';
export { ScoreHistogram, type ScoreHistogramProps } from './ScoreHistogram';
export { EmbeddingMap, type EmbeddingMapProps } from './EmbeddingMap';
export { PrCurve, type PrCurveProps } from './PrCurve';
export { LEVEL_COLORS, levelColor, scoreColor } from './palette';
