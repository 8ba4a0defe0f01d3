import { describe, expect, it } from 'vitest';
import { auditWrites, type InstanceWrite, type ServeTerms } from './failover-leaders.js';

const terms = (slot: string, name: string, startedAt: number, claims: Array<[number, number]> = []) =>
  ({
    slot,
    name,
    startedAt,
    claims: claims.map(([at, generation]) => ({ at, generation })),
    stepDowns: [],
  }) satisfies ServeTerms;

const write = (slot: string, at: number): InstanceWrite => ({
  slot,
  at,
  system: 'hubspot',
  kind: 'PATCH /crm/v3/objects/companies/{id}',
});

const whys = (found: ReadonlyArray<{ why: string }>) => found.map((entry) => entry.why);

// The failover suite's check of who wrote when, from the logs and the proxies only: these cases show it can fail.
describe('writes by two leaders at once', () => {
  it('counts none while only the leader of the moment writes', () => {
    const a = terms('a', 'a1', 0, [[10, 1]]);
    const b = terms('b', 'b1', 5, [[200, 2]]);
    expect(auditWrites([a, b], [write('a', 20), write('a', 150), write('b', 210)])).toEqual({
      twoLeaders: [],
      late: [],
    });
  });

  it('counts a write by the old leader after the new one claimed and wrote; before its first write, it is late', () => {
    const a = terms('a', 'a1', 0, [[10, 1]]);
    const b = terms('b', 'b1', 5, [[200, 2]]);
    const audit = auditWrites([a, b], [write('a', 199), write('a', 230), write('b', 4200), write('a', 4210)]);
    expect(whys(audit.late)).toEqual([
      'a1 (generation 1) wrote 30 ms after b1 became the leader (generation 2), before that one wrote',
    ]);
    expect(whys(audit.twoLeaders)).toEqual([
      "a1 (generation 1) wrote 4010 ms after b1 became the leader (generation 2) and 10 ms after that one's first write",
    ]);
  });

  it('counts every write of two instances that both act as leaders without claiming', () => {
    const a = terms('a', 'a1', 0);
    const b = terms('b', 'b1', 0);
    const audit = auditWrites([a, b], [write('a', 10), write('b', 11)]);
    expect(whys(audit.twoLeaders)).toEqual(['a1 had not become the leader', 'b1 had not become the leader']);
  });

  it('gives a slot’s writes to its process of the moment: a restarted process is a standby until it claims', () => {
    const a1 = terms('a', 'a1', 0, [[10, 1]]);
    const b1 = terms('b', 'b1', 5, [[300, 2]]);
    const a2 = terms('a', 'a2', 400, [[900, 3]]);
    const audit = auditWrites([a1, b1, a2], [write('a', 100), write('a', 500), write('a', 950)]);
    expect(whys(audit.twoLeaders)).toEqual(['a2 had not become the leader']);
    expect(audit.late).toEqual([]);
  });

  it('judges a leader that claimed again by its new generation from then on', () => {
    const a = terms('a', 'a1', 0, [
      [10, 1],
      [500, 3],
    ]);
    const b = terms('b', 'b1', 5, [[300, 2]]);
    const audit = auditWrites([a, b], [write('b', 310), write('a', 400), write('a', 600)]);
    expect(audit.twoLeaders.map((entry) => entry.write.at)).toEqual([400]);
  });

  it('says when the old leader wrote after it logged its own step-down', () => {
    const a = { ...terms('a', 'a1', 0, [[10, 1]]), stepDowns: [{ at: 120, reason: 'stepped down: lost' }] };
    const b = terms('b', 'b1', 5, [[100, 2]]);
    expect(whys(auditWrites([a, b], [write('a', 130)]).late)).toEqual([
      'a1 (generation 1) wrote 30 ms after b1 became the leader (generation 2), before that one wrote, 10 ms after it logged "stepped down: lost"',
    ]);
  });
});
