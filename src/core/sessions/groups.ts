/**
 * Columnar groups of records (sessions or windows) in CSR layout: the records of group `i` are
 * `members[starts[i] .. starts[i + 1])`, in ascending record order. `starts.length === keys.length + 1`.
 * A record may belong to several groups (a line naming two blocks, overlapping sliding windows) or
 * to none.
 */
export interface RecordGroups {
  /** One name per group: the session id (`blk_-123`, an instance uuid...) or the window's label. */
  keys: string[];
  /** Offsets into `members`, one more than there are groups. */
  starts: Uint32Array;
  /** Record indices, group after group. */
  members: Uint32Array;
}

/** Number of records in group `i`. */
export function groupSize(groups: RecordGroups, i: number): number {
  return groups.starts[i + 1] - groups.starts[i];
}

/** Record indices of group `i` (a view, not a copy). */
export function membersOf(groups: RecordGroups, i: number): Uint32Array {
  return groups.members.subarray(groups.starts[i], groups.starts[i + 1]);
}

/** Packs per-group lists (each already in ascending order) into CSR arrays. */
export function packGroups(keys: string[], lists: ArrayLike<number>[]): RecordGroups {
  const starts = new Uint32Array(keys.length + 1);
  for (let i = 0; i < lists.length; i++) starts[i + 1] = starts[i] + lists[i].length;
  const members = new Uint32Array(starts[keys.length]);
  for (let i = 0; i < lists.length; i++) {
    const list = lists[i];
    const at = starts[i];
    for (let k = 0; k < list.length; k++) members[at + k] = list[k];
  }
  return { keys, starts, members };
}
