import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../src/harness/scenario/load.js';
import { runAgainstReference, useCatalogue } from './harness.js';

/**
 * EMP-01 and EMP-13 have HBS hold 2100 generated records (a seed step), so paging shows at any page size; the
 * item's teardown lets go of them. An item after them pulls with the default page size (20): with the records
 * still held its answers would run to 106 pages, without them everything fits one page.
 */
const LATER: Scenario = {
  file: 'test/integration/selftest/seed.test.ts',
  version: 1,
  id: 'EMP-99',
  title: 'After EMP-01 and EMP-13, HBS holds none of their seeded records',
  role: 'EMP',
  section: 'evseData',
  mandatory: true,
  spec: 'hbs-sim item isolation',
  steps: [
    { trigger: 'pullEvseData' },
    {
      await: 'PullEvseData',
      timeoutMs: 60_000,
      expect: { on: 'response', code: '000', fields: { '/totalPages': 1 } },
    },
    { trigger: 'getChargeDetailRecords' },
    {
      await: 'GetChargeDetailRecords',
      timeoutMs: 60_000,
      expect: { on: 'response', code: '000', fields: { '/totalPages': 1 } },
    },
  ],
};

const catalogue = useCatalogue((c) => c.scenarios.push(LATER));

describe('seed steps', () => {
  it('EMP-01 and EMP-13 pass with two pages of 2000 held, and a later item sees none of those records', async () => {
    const items = await runAgainstReference(catalogue(), 'EMP', ['EMP-01', 'EMP-13', 'EMP-99']);
    expect([...items.values()].map((i) => [i.id, i.outcome, i.reason?.message])).toEqual([
      ['EMP-01', 'passed', undefined],
      ['EMP-13', 'passed', undefined],
      ['EMP-99', 'passed', undefined],
    ]);
    // The teardown says it let the records go.
    for (const id of ['EMP-01', 'EMP-13'])
      expect(items.get(id)!.steps.at(-1)!.title).toMatch(/HBS let go of the 2100 records the item had it hold/);
  }, 180_000);

  it('an EMP that pulls 2000 a page, whatever it is asked, and reads page 0 fails EMP-01 naming the rule', async () => {
    const items = await runAgainstReference(catalogue(), 'EMP', ['EMP-01'], ['largestPageOnly']);
    const item = items.get('EMP-01')!;
    expect(item.outcome).toBe('failed');
    const failed = item.steps.flatMap((s) => s.checks).filter((c) => c.outcome !== 'passed');
    expect(failed).toEqual([
      expect.objectContaining({
        id: 'rule:all-pages:PullEvseData',
        outcome: 'failed',
        title: expect.stringMatching(/OICP 2\.3 EMP 02, eRoamingPullEvseData/),
        actual: 'missing page 1 of 2',
      }),
    ]);
  }, 120_000);
});
