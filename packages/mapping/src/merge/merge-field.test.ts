import { describe, expect, it } from 'vitest';
import type { ConflictPolicy, Direction, FieldRule } from '../config/policy.js';
import { createFingerprinter } from './fingerprint.js';
import { type FieldDecision, type FieldMergeInput, mergeField } from './merge-field.js';

const fingerprint = createFingerprinter('test-key-0123456789');
const print = (value: string | null) => fingerprint('phone', value);

function decide(
  crm: string | null,
  erp: string | null,
  base: string | null | undefined,
  rule: Partial<FieldRule> = {},
  newer: ReturnType<FieldMergeInput['newer']> = null,
): FieldDecision {
  return mergeField(
    {
      field: 'phone',
      crm,
      erp,
      crmKey: crm,
      erpKey: erp,
      base: base === undefined ? undefined : print(base),
      rule: { direction: 'both', policy: 'erp-wins', clearOnEmpty: false, ...rule },
      newer: () => newer,
    },
    fingerprint,
  );
}

const summary = (decision: FieldDecision) =>
  decision.action === 'write-erp' || decision.action === 'write-crm'
    ? `${decision.action} ${decision.value} (${decision.reason})`
    : decision.action === 'hold' || decision.action === 'conflict'
      ? `${decision.action} (${decision.reason})`
      : decision.action;

describe('mergeField', () => {
  it.each<
    [
      string,
      string | null,
      string | null,
      string | null | undefined,
      Partial<FieldRule>,
      ReturnType<FieldMergeInput['newer']>,
      string,
    ]
  >([
    ['converged, base current', 'A', 'A', 'A', {}, null, 'none'],
    ['converged, base stale', 'B', 'B', 'A', {}, null, 'baseline'],
    ['converged, first link', 'A', 'A', undefined, {}, null, 'baseline'],
    ['only CRM changed', 'B', 'A', 'A', {}, null, 'write-erp B (crm-changed)'],
    ['only ERP changed', 'A', 'B', 'A', {}, null, 'write-crm B (erp-changed)'],
    ['both changed, erp-wins', 'B', 'C', 'A', { policy: 'erp-wins' }, null, 'write-crm C (erp-wins)'],
    ['both changed, crm-wins', 'B', 'C', 'A', { policy: 'crm-wins' }, null, 'write-erp B (crm-wins)'],
    ['both changed, newest CRM', 'B', 'C', 'A', { policy: 'newest-wins' }, 'crm', 'write-erp B (crm-newer)'],
    ['both changed, newest ERP', 'B', 'C', 'A', { policy: 'newest-wins' }, 'erp', 'write-crm C (erp-newer)'],
    [
      'both changed, newest tie',
      'B',
      'C',
      'A',
      { policy: 'newest-wins' },
      null,
      'write-crm C (tie-erp-wins)',
    ],
    ['both changed, manual', 'B', 'C', 'A', { policy: 'manual' }, null, 'conflict (both-changed)'],
    ['first link, differing, erp-wins', 'B', 'C', undefined, {}, null, 'write-crm C (erp-wins)'],
    ['CRM cleared: kept and restored', null, 'A', 'A', {}, null, 'write-crm A (kept-non-empty)'],
    ['ERP cleared: kept and restored', 'A', null, 'A', {}, null, 'write-erp A (kept-non-empty)'],
    [
      'first link, ERP empty: filled',
      'A',
      null,
      undefined,
      { policy: 'erp-wins' },
      null,
      'write-erp A (kept-non-empty)',
    ],
    [
      'CRM cleared, clearOnEmpty',
      null,
      'A',
      'A',
      { clearOnEmpty: true },
      null,
      'write-erp null (crm-changed)',
    ],
    [
      'ERP wins with empty, clearOnEmpty',
      'B',
      null,
      'A',
      { clearOnEmpty: true },
      null,
      'write-crm null (erp-wins)',
    ],
    ['direction none', 'B', 'A', 'A', { direction: 'none' }, null, 'hold (direction-none)'],
    ['crm-to-erp, ERP drifted', 'A', 'B', 'A', { direction: 'crm-to-erp' }, null, 'write-erp A (crm-to-erp)'],
    ['erp-to-crm, CRM drifted', 'B', 'A', 'A', { direction: 'erp-to-crm' }, null, 'write-crm A (erp-to-crm)'],
    ['crm-to-erp, CRM empty', null, 'A', 'A', { direction: 'crm-to-erp' }, null, 'hold (direction-none)'],
    [
      'erp-to-crm, crm-wins ignored',
      'B',
      'C',
      'A',
      { direction: 'erp-to-crm', policy: 'crm-wins' },
      null,
      'write-crm C (erp-to-crm)',
    ],
  ])('%s', (_, crm, erp, base, rule, newer, expected) => {
    expect(summary(decide(crm, erp, base, rule, newer))).toBe(expected);
  });

  it('is deterministic for every direction and policy', () => {
    const directions: Direction[] = ['both', 'crm-to-erp', 'erp-to-crm', 'none'];
    const policies: ConflictPolicy[] = ['erp-wins', 'crm-wins', 'newest-wins', 'manual'];
    for (const direction of directions) {
      for (const policy of policies) {
        for (const [crm, erp, base] of [
          ['B', 'C', 'A'],
          ['B', null, 'A'],
          [null, 'C', undefined],
        ] as const) {
          const first = decide(crm, erp, base, { direction, policy });
          expect(decide(crm, erp, base, { direction, policy })).toEqual(first);
        }
      }
    }
  });

  it('writes the fingerprint of the value it writes', () => {
    const decision = decide('B', 'A', 'A');
    expect(decision).toMatchObject({ action: 'write-erp', fingerprint: print('B') });
  });
});
