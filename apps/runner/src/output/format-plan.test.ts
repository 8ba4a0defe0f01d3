import { describe, expect, it } from 'vitest';
import { formatPlan } from './format-plan.js';
import { table } from './table.js';

describe('output', () => {
  it('pads columns and aligns numbers right', () => {
    expect(
      table(
        ['name', 'n'],
        [
          ['a', 1],
          ['bbb', 100],
        ],
      ),
    ).toBe('name    n\na       1\nbbb   100');
  });

  it('prints a plan field by field, before → after, with emails and phones masked unless asked', () => {
    const planned = [
      {
        entity: 'contact' as const,
        operation: {
          id: 'contact:1:2',
          entity: 'contact' as const,
          kind: 'update-erp' as const,
          crmId: '101',
          associateNo: 7,
          values: { emailAddress: 'kari.nordmann@firma.no' },
          changes: [
            {
              field: 'email',
              before: 'kari@firma.no',
              after: 'kari.nordmann@firma.no',
              reason: 'crm-changed' as const,
            },
          ],
          fingerprints: {},
        },
      },
    ];
    const masked = formatPlan(planned, false);
    expect(masked).toContain('update-erp');
    expect(masked).toContain('email');
    expect(masked).not.toContain('kari.nordmann@firma.no');
    expect(formatPlan(planned, true)).toContain('kari@firma.no → kari.nordmann@firma.no (crm-changed)');
    expect(formatPlan([], false)).toBe('Nothing to do: both systems agree.');
  });
});
