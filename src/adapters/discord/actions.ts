/**
 * Button custom_ids. A choice's action (e.g. `/topic 3`) rides in the custom_id when it
 * fits Discord's 100 characters; a longer one is kept in a bounded map and the custom_id
 * carries its key. Keys include a per-process prefix, so a button from before a restart
 * is recognised as expired instead of being mapped to some other action.
 *
 * @example
 * const ids = new ActionIds();
 * const id = ids.idFor('/topic 3', 0); // 'c0:/topic 3'
 * ids.actionOf(id);                    // '/topic 3'
 */
import { randomBytes } from 'node:crypto';

export const CUSTOM_ID_MAX = 100;

export type ActionLookup =
  | { ok: true; action: string; askReason: boolean }
  | { ok: false; reason: 'expired' | 'foreign' };

export class ActionIds {
  private readonly byKey = new Map<string, string>();
  private readonly prefix = randomBytes(4).toString('hex');
  private next = 0;

  /** @param capacity how many long actions are remembered (oldest forgotten first) */
  constructor(private readonly capacity = 5000) {}

  /**
   * The custom_id of the `index`-th button of a message (the index keeps ids unique). A
   * button that asks for a reason first (`Choice.askReason`) gets `r`/`q` instead of `c`/`k`.
   */
  idFor(action: string, index: number, askReason = false): string {
    const direct = `${askReason ? 'r' : 'c'}${index}:${action}`;
    if (direct.length <= CUSTOM_ID_MAX) return direct;
    const key = `${this.prefix}.${(this.next++).toString(36)}`;
    this.byKey.set(key, action);
    while (this.byKey.size > this.capacity) {
      const oldest = this.byKey.keys().next().value;
      if (oldest === undefined) break;
      this.byKey.delete(oldest);
    }
    return `${askReason ? 'q' : 'k'}${index}:${key}`;
  }

  /** The action behind a custom_id, or why there is none. */
  actionOf(customId: string): ActionLookup {
    const m = /^([ckrq])\d+:([\s\S]*)$/.exec(customId);
    if (!m) return { ok: false, reason: 'foreign' };
    const askReason = m[1] === 'r' || m[1] === 'q';
    if (m[1] === 'c' || m[1] === 'r') return { ok: true, action: m[2] ?? '', askReason };
    const action = this.byKey.get(m[2] ?? '');
    return action === undefined
      ? { ok: false, reason: 'expired' }
      : { ok: true, action, askReason };
  }

  /** How many long actions are remembered. */
  get size(): number {
    return this.byKey.size;
  }
}
