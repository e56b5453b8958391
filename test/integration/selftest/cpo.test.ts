import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_FAULTS } from '../../../src/reference/faults.js';
import { faultsOf, openCatalogue, runAgainstReference, type Catalogue } from './harness.js';

/**
 * Self-test, reference CPO: the whole CPO catalogue passes against the correct reference partner, and each fault
 * makes every scenario it targets fail — with that scenario's checklist ID, as a failure of the partner (not a
 * harness error). The table of this proof is in the README ("Self-test").
 */
let catalogue: Catalogue;
beforeAll(async () => {
  catalogue = await openCatalogue();
}, 60_000);
afterAll(() => catalogue.close());

describe('the reference CPO', () => {
  it('passes every CPO scenario of the catalogue', async () => {
    const items = await runAgainstReference(catalogue, 'CPO', 'all');
    const notPassed = [...items.values()].filter((i) => i.outcome !== 'passed').map((i) => `${i.id}: ${i.outcome} ${i.reason?.message ?? ''}`);
    expect(notPassed).toEqual([]);
    expect(items.size).toBe(catalogue.scenarios.filter((s) => s.role === 'CPO').length);
  }, 120_000);

  for (const fault of faultsOf('CPO')) {
    const { targets } = REFERENCE_FAULTS[fault];
    it(`with ${fault}: ${targets.join(', ')} fail`, async () => {
      const items = await runAgainstReference(catalogue, 'CPO', targets, [fault]);
      const outcomes = Object.fromEntries(targets.map((id) => [id, items.get(id)?.outcome ?? 'not run']));
      expect(outcomes).toEqual(Object.fromEntries(targets.map((id) => [id, 'failed'])));
    }, 120_000);
  }
});
