/**
 * Training against the floor, per standard, pure: does passing a standard in training (quiz answers and role-play
 * choices tagged with it) go with meeting it on real contacts? For each standard, over the reps who have both:
 * how many pass it in training (at least `passPercent` of their tagged answers right), and of those how many meet
 * it on the floor (at least the organisation's floor). Many who pass in training but miss on the floor point at a
 * lesson or quiz item that tests recall rather than the behaviour: what a trainer rewrites first.
 */
import { isMet, type ItemValue } from './quality';

export const TRAINING_PASS_PERCENT = 80;

/** A rep's tagged training answers on one standard, counted (by the database, for the trainer page). */
export interface TrainingCount {
  userId: string;
  standardId: string;
  ok: number;
  n: number;
}

/** A scored item of a rep's real contact. */
export interface FloorItem {
  repId: string;
  standardId: string;
  value: ItemValue;
}

export interface StandardComparison {
  standardId: string;
  /** Reps with both training answers and scored contacts on the standard. */
  reps: number;
  /** Of them, those who pass it in training… */
  passInTraining: number;
  /** …and of those, how many meet it on the floor. */
  passAndMeet: number;
  /** Pass in training, miss on the floor: the evidence for a rewrite. */
  passButMiss: number;
  /** Everyone's tagged training answers right, and contacts met, in percent (rounded down); undefined without any. */
  trainingPercent: number | undefined;
  floorPercent: number | undefined;
}

const pct = (n: number, d: number) => (d === 0 ? undefined : Math.floor((100 * n) / d));

export function trainingVersusFloor(
  training: readonly TrainingCount[],
  floor: readonly FloorItem[],
  standardIds: readonly string[],
  floorPassPercent: number,
  trainingPassPercent = TRAINING_PASS_PERCENT,
): StandardComparison[] {
  return standardIds.map((standardId) => {
    const t = new Map<string, { ok: number; n: number }>();
    for (const c of training) {
      if (c.standardId !== standardId) continue;
      const x = t.get(c.userId) ?? { ok: 0, n: 0 };
      x.n += c.n;
      x.ok += c.ok;
      t.set(c.userId, x);
    }
    const f = new Map<string, { ok: number; n: number }>();
    for (const i of floor) {
      const met = i.standardId === standardId ? isMet(i.value) : undefined;
      if (met === undefined) continue;
      const x = f.get(i.repId) ?? { ok: 0, n: 0 };
      x.n += 1;
      if (met) x.ok += 1;
      f.set(i.repId, x);
    }
    const both = [...t.keys()].filter((u) => f.has(u));
    const passers = both.filter((u) => 100 * t.get(u)!.ok >= trainingPassPercent * t.get(u)!.n);
    const meets = passers.filter((u) => 100 * f.get(u)!.ok >= floorPassPercent * f.get(u)!.n);
    const sum = (m: Map<string, { ok: number; n: number }>) =>
      [...m.values()].reduce((a, x) => ({ ok: a.ok + x.ok, n: a.n + x.n }), { ok: 0, n: 0 });
    const tt = sum(t);
    const ff = sum(f);
    return {
      standardId,
      reps: both.length,
      passInTraining: passers.length,
      passAndMeet: meets.length,
      passButMiss: passers.length - meets.length,
      trainingPercent: pct(tt.ok, tt.n),
      floorPercent: pct(ff.ok, ff.n),
    };
  });
}
