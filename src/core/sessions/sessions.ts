/** Grouping records into sessions by the identifiers their messages name. */
import { packGroups, type RecordGroups } from './groups';
import { sessionKeysOf, type SessionRule } from './rules';

/**
 * Streaming session grouper: `add` each record's message (in record order), then `build`. Sessions
 * are ordered by first appearance; a record naming no key joins no session.
 */
export class SessionGrouper {
  private readonly indexOfKey = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly lists: number[][] = [];
  private records = 0;
  private withoutKey = 0;

  constructor(private readonly rules: readonly SessionRule[]) {}

  /** Adds one record; returns the keys it named. `recordIndex` defaults to the count added so far. */
  add(message: string, recordIndex: number = this.records): string[] {
    this.records++;
    const keys = sessionKeysOf(message, this.rules);
    if (keys.length === 0) this.withoutKey++;
    for (const key of keys) {
      let i = this.indexOfKey.get(key);
      if (i === undefined) {
        i = this.keys.length;
        this.indexOfKey.set(key, i);
        this.keys.push(key);
        this.lists.push([]);
      }
      const list = this.lists[i];
      // Keeps members ascending even when a caller adds records out of order.
      if (list.length > 0 && list[list.length - 1] > recordIndex) {
        let at = list.length;
        while (at > 0 && list[at - 1] > recordIndex) at--;
        if (list[at - 1] !== recordIndex) list.splice(at, 0, recordIndex);
      } else if (list.length === 0 || list[list.length - 1] !== recordIndex) {
        list.push(recordIndex);
      }
    }
    return keys;
  }

  /** Records added that named no session. */
  get recordsWithoutSession(): number {
    return this.withoutKey;
  }

  build(): RecordGroups {
    return packGroups(this.keys.slice(), this.lists);
  }
}

/** Sessions of `messages` (record i is `messages[i]`) under `rules`. */
export function groupSessions(messages: ArrayLike<string>, rules: readonly SessionRule[]): RecordGroups {
  const grouper = new SessionGrouper(rules);
  for (let i = 0; i < messages.length; i++) grouper.add(messages[i], i);
  return grouper.build();
}
