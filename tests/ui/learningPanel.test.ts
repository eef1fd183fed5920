import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { describeLearning, type LearningSummary } from '../../src/core/analysis/learning';
import { LearnedScores, LearningPanel, type LearningPanelProps } from '../../src/ui/labels/LearningPanel';

const trained: LearningSummary = {
  anomalous: 3,
  normal: 40,
  trained: true,
  headKind: 'logistic',
  weight: 0.6,
  weightFrom: 'labels',
  top: 50,
  movedIntoTop: 12,
  trainMs: 20,
};
const props = (over: Partial<LearningPanelProps> = {}): LearningPanelProps => ({
  unit: 'line',
  learning: trained,
  weight: null,
  onWeight: () => undefined,
  suggestions: [],
  selectedRecord: null,
  onSelect: () => undefined,
  ...over,
});

describe('learning panel (issue 12)', () => {
  it('says what the head learned from and how far the ranking moved', () => {
    expect(describeLearning(trained, 'line')).toBe(
      'Learned from 3 anomalous and 40 normal lines (logistic head, weight 0.60, chosen from your labels): 12 lines moved into the top 50.',
    );
    expect(describeLearning({ ...trained, movedIntoTop: 1, weightFrom: 'analyst' }, 'session')).toMatch(
      /set by you\): 1 session moved into the top 50\.$/,
    );
    expect(describeLearning({ ...trained, trained: false, anomalous: 0, normal: 7 }, 'line')).toMatch(
      /^No head yet: your labels name 0 anomalous and 7 normal lines/,
    );
    const html = renderToStaticMarkup(createElement(LearningPanel, props()));
    expect(html).toContain('12 lines moved into the top 50');
    expect(html).toMatch(/data-testid="blend-weight"[^>]*value="0.6"/);
    expect(html).not.toContain('from labels</button>');
  });

  it("shows the analyst's weight with a way back, disables the slider without a head, and lists suggestions with their line", () => {
    const own = renderToStaticMarkup(createElement(LearningPanel, props({ weight: 0.25 })));
    expect(own).toContain('0.25');
    expect(own).toContain('set by you');
    expect(own).toContain('from labels</button>');
    const none = renderToStaticMarkup(createElement(LearningPanel, props({ learning: null })));
    const slider = none.match(/<input[^>]*data-testid="blend-weight"[^>]*>/)![0];
    expect(slider).toMatch(/ disabled/);
    expect(
      renderToStaticMarkup(createElement(LearningPanel, props())).match(/<input[^>]*data-testid="blend-weight"[^>]*>/)![0],
    ).not.toMatch(/ disabled/);
    expect(none).toContain('Nothing to suggest.');
    const listed = renderToStaticMarkup(
      createElement(
        LearningPanel,
        props({
          selectedRecord: 7,
          suggestions: [
            { unit: 7, record: 7, reason: 'uncertain', lineNumber: 8, text: 'ERROR disk <full>' },
            { unit: 2, record: 2, reason: 'top anomaly', lineNumber: 3, text: 'x'.repeat(500) },
          ],
        }),
      ),
    );
    expect(listed.match(/data-testid="label-next-item"/g)).toHaveLength(2);
    expect(listed).toContain('line 8');
    expect(listed).toContain('ERROR disk &lt;full&gt;');
    expect(listed).toMatch(/aria-pressed="true"[^>]*data-record="7"/);
    expect(listed).toContain(`${'x'.repeat(160)}…`);
  });

  it('shows blended, learned and unsupervised scores only when there is a head', () => {
    expect(renderToStaticMarkup(createElement(LearnedScores, { scores: { unsupervised: 2.5 } }))).toBe('');
    const html = renderToStaticMarkup(createElement(LearnedScores, { scores: { unsupervised: 2.5, learned: 0.91, blended: 0.987 } }));
    expect(html).toContain('0.987');
    expect(html).toContain('0.910');
    expect(html).toContain('2.500');
  });
});
