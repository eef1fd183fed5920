/** The analysis runs here, off the page's thread; this file only exposes the service. */
import * as Comlink from 'comlink';
import { AnalysisService } from '../core/analysis/service';
import type { AnalysisSummary } from '../core/analysis/types';
import { browserEncoderFactory } from './browserEncoder';
import { createParsePool } from './parsePool';

// Big inputs are parsed on a pool of workers started from here (one per spare core).
const service = new AnalysisService(browserEncoderFactory, { shardParser: createParsePool() });

/** Big arrays cross to the page transferred (the service keeps its own copy of the summary). */
function transferred(summary: AnalysisSummary): AnalysisSummary {
  const scoreDistribution = summary.scoreDistribution.slice();
  return Comlink.transfer({ ...summary, scoreDistribution }, [scoreDistribution.buffer]);
}

Comlink.expose({
  analyze: async (...args: Parameters<AnalysisService['analyze']>) => transferred(await service.analyze(...args)),
  rescore: async (...args: Parameters<AnalysisService['rescore']>) => transferred(await service.rescore(...args)),
  unitScores: async () => {
    const scores = await service.unitScores();
    return Comlink.transfer(scores, [scores.buffer]);
  },
  cancel: () => service.cancel(),
  thresholdView: (...args: Parameters<AnalysisService['thresholdView']>) => service.thresholdView(...args),
  rows: (...args: Parameters<AnalysisService['rows']>) => service.rows(...args),
  positionOf: (...args: Parameters<AnalysisService['positionOf']>) => service.positionOf(...args),
  nextAnomaly: (...args: Parameters<AnalysisService['nextAnomaly']>) => service.nextAnomaly(...args),
  detail: (...args: Parameters<AnalysisService['detail']>) => service.detail(...args),
  words: (...args: Parameters<AnalysisService['words']>) => service.words(...args),
  stepFlagged: (...args: Parameters<AnalysisService['stepFlagged']>) => service.stepFlagged(...args),
  recordAt: (...args: Parameters<AnalysisService['recordAt']>) => service.recordAt(...args),
  highestScored: (...args: Parameters<AnalysisService['highestScored']>) => service.highestScored(...args),
  topAnomalies: (...args: Parameters<AnalysisService['topAnomalies']>) => service.topAnomalies(...args),
  sessionsHolding: (...args: Parameters<AnalysisService['sessionsHolding']>) => service.sessionsHolding(...args),
  projectMap: (...args: Parameters<AnalysisService['projectMap']>) => service.projectMap(...args),
  saveAnalysis: (...args: Parameters<AnalysisService['saveAnalysis']>) => service.saveAnalysis(...args),
  useAnalystLabels: (...args: Parameters<AnalysisService['useAnalystLabels']>) => service.useAnalystLabels(...args),
  trainOnLabels: async (...args: Parameters<AnalysisService['trainOnLabels']>) => {
    const view = await service.trainOnLabels(...args);
    return { ...view, summary: transferred(view.summary) };
  },
  labelNext: (...args: Parameters<AnalysisService['labelNext']>) => service.labelNext(...args),
  learningScores: (...args: Parameters<AnalysisService['learningScores']>) => service.learningScores(...args),
  openSaved: async (...args: Parameters<AnalysisService['openSaved']>) => {
    const reopened = await service.openSaved(...args);
    return { ...reopened, summary: transferred(reopened.summary) };
  },
  exportAnalysisBundle: async (...args: Parameters<AnalysisService['exportAnalysisBundle']>) => {
    const bytes = await service.exportAnalysisBundle(...args);
    return Comlink.transfer(bytes, [bytes.buffer]);
  },
  importAnalysisBundle: async (...args: Parameters<AnalysisService['importAnalysisBundle']>) => {
    const reopened = await service.importAnalysisBundle(...args);
    return { ...reopened, summary: transferred(reopened.summary) };
  },
});
