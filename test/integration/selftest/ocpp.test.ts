import { describe, expect, it } from 'vitest';
import { REFERENCE_FAULTS } from '../../../src/partners/reference/faults.js';
import { faultsOf, isOcppFault, outcomesOf, runAgainstReference, useCatalogue } from './harness.js';

/**
 * Self-test through OCPP: the reference CPO certified through its CSMS and charge points (`demo --role cpo --ocpp`)
 * passes the whole CPO catalogue, the items that compare the CSMS with its charge points included; each fault of
 * its CSMS fails the items it targets, as a failure of the partner.
 */

const catalogue = useCatalogue();

describe('the reference CPO through its charge points', () => {
  it('passes every CPO scenario of the catalogue, the OCPP ones included', async () => {
    const items = await runAgainstReference(catalogue(), 'CPO', 'all', [], [], true);
    const mine = catalogue().scenarios.filter((s) => s.role === 'CPO');
    expect(outcomesOf(items)).toEqual(Object.fromEntries(mine.map((s) => [s.id, 'passed'])));
    // The reference CPO is written to the spec: what it sends breaks no SHOULD either (CDR times in order …).
    const warned = [...items.values()].flatMap((i) => (i.warnings ?? []).map((w) => `${i.id}: ${w.message}`));
    expect(warned).toEqual([]);
  }, 180_000);

  for (const fault of faultsOf('CPO').filter(isOcppFault)) {
    const targets: readonly string[] = REFERENCE_FAULTS[fault].targets;
    it(`with ${fault}: ${targets.join(', ')} fail`, async () => {
      const items = await runAgainstReference(catalogue(), 'CPO', targets, [fault]);
      const outcomes = Object.fromEntries(targets.map((id) => [id, items.get(id)?.outcome ?? 'not run']));
      expect(outcomes, JSON.stringify(outcomesOf(items))).toEqual(
        Object.fromEntries(targets.map((id) => [id, 'failed'])),
      );
    }, 120_000);
  }
});
