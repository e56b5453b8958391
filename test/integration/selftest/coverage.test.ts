import { describe, expect, it } from 'vitest';
import { REFERENCE_FAULTS, REFERENCE_FAULT_NAMES } from '../../../src/reference/faults.js';
import { openCatalogue } from './harness.js';

describe('self-test coverage', () => {
  it('every scenario of the catalogue is targeted by a fault of its role, and every target is a scenario', async () => {
    const c = await openCatalogue();
    try {
      const byId = new Map(c.scenarios.map((s) => [s.id, s.role]));
      const targetsOf = (n: (typeof REFERENCE_FAULT_NAMES)[number]): readonly string[] => REFERENCE_FAULTS[n].targets;
      const targeted = new Set(REFERENCE_FAULT_NAMES.flatMap(targetsOf));
      const untargeted = [...byId.keys()].filter((id) => !targeted.has(id));
      expect(untargeted, 'scenarios no reference fault targets: add a fault to src/reference/faults.ts that breaks their rule').toEqual([]);
      const dangling = REFERENCE_FAULT_NAMES.flatMap((n) => targetsOf(n).filter((t) => byId.get(t) !== REFERENCE_FAULTS[n].role).map((t) => `${n} → ${t}`));
      expect(dangling, 'fault targets that are not scenarios of the fault\'s role').toEqual([]);
    } finally {
      await c.close();
    }
  });
});
