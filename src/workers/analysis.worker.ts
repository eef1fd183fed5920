/** The analysis runs here, off the page's thread; this file only exposes the service. */
import * as Comlink from 'comlink';
import { AnalysisService } from '../core/analysis/service';
import { browserEncoderFactory } from './browserEncoder';

Comlink.expose(new AnalysisService(browserEncoderFactory));
