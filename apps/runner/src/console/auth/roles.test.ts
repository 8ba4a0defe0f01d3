import { describe, expect, it } from 'vitest';
import { roleAllows, seesPersonalData, shownTo } from './roles.js';

describe('console roles', () => {
  it('lets an operator do all a viewer may, not the other way round', () => {
    expect(roleAllows('operator', 'viewer')).toBe(true);
    expect(roleAllows('operator', 'operator')).toBe(true);
    expect(roleAllows('viewer', 'viewer')).toBe(true);
    expect(roleAllows('viewer', 'operator')).toBe(false);
  });

  it('masks personal data for a viewer as the CLI does, and shows it to an operator', () => {
    expect(seesPersonalData('viewer')).toBe(false);
    expect(shownTo('viewer', 'Iselin <iselin@port-service.no>, +47 99 58 22 44')).toBe(
      'Iselin <i***@p***.no>, +********44',
    );
    expect(shownTo('viewer', '99582244', 'phone')).toBe('******44');
    expect(shownTo('operator', 'iselin@port-service.no')).toBe('iselin@port-service.no');
  });
});
