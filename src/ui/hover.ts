/**
 * What the pointer rests on, shared between views that light each other up (a template row or a
 * log line highlights its point on the map). Page-only and fleeting: kept out of the store so a
 * mouse move never touches the analysis state.
 */
import { create } from 'zustand';

interface HoverState {
  template?: number;
  setTemplate(template: number | undefined): void;
}

export const useHover = create<HoverState>()((set) => ({
  template: undefined,
  setTemplate: (template) => set((s) => (s.template === template ? s : { template })),
}));
