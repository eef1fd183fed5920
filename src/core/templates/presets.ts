/**
 * Drain settings per log layout. The default works for every layout; a preset only adds what one
 * system's messages need (extra masks, a different threshold) and is chosen from the layout id the
 * parse stage detected (`loghub-<system>`, lower case), never by hand.
 */
import { buildMasks } from './masks';
import { DEFAULT_DRAIN_OPTIONS, type DrainOptions } from './drain';

export interface MaskChanges {
  add?: { name: string; pattern: RegExp | string; replacement?: string }[];
  remove?: string[];
}

interface Preset {
  masks?: MaskChanges;
  options?: Partial<Omit<DrainOptions, 'masks'>>;
}

const PRESETS: Record<string, Preset> = {
  'loghub-proxifier': {
    masks: {
      add: [
        // "1234 bytes (1.2 KB) sent": the parenthesised size is optional, so drop it to keep one
        // token shape; "lifetime <1 sec" and "lifetime 00:05" are the same variable.
        { name: 'proxifier-size', pattern: / \(\d+(?:\.\d+)? [KMGT]?B\)/, replacement: '' },
        { name: 'proxifier-lifetime', pattern: /(?<=lifetime )(?:<1 sec|\d{2}:\d{2}(?::\d{2})?)/, replacement: '<*>' },
      ],
    },
  },
  'loghub-linux': {
    masks: {
      // This syslog's `user=root` / `user=guest` name different events (labelled apart in Loghub);
      // only `user <name>` is a variable here.
      remove: ['user'],
      add: [{ name: 'linux-user', pattern: /(?<=\b[Uu]ser )[A-Za-z0-9_][A-Za-z0-9_.-]*/, replacement: '<*>' }],
    },
  },
};

/**
 * Full Drain options for a layout id, with the user's mask changes applied on top of the preset's.
 * Unknown ids (including '') give the defaults.
 */
export function drainOptionsForLayout(layoutId: string, userMasks: MaskChanges = {}): DrainOptions {
  const preset = PRESETS[layoutId.toLowerCase()] ?? {};
  const masks = buildMasks({
    add: [...(userMasks.add ?? []), ...(preset.masks?.add ?? [])],
    remove: [...(userMasks.remove ?? []), ...(preset.masks?.remove ?? [])],
  });
  return { ...DEFAULT_DRAIN_OPTIONS, ...preset.options, masks };
}
