import { describe, expect, it } from 'vitest';
import { REFERENCE_FAULT_NAMES, REFERENCE_FAULTS } from '../../../src/partners/reference/faults.js';
import { openCatalogue } from './harness.js';

describe('self-test coverage', () => {
  it('every scenario of the catalogue is targeted by a fault of its role, and every target is a scenario', async () => {
    const c = await openCatalogue();
    try {
      const byId = new Map(c.scenarios.map((s) => [s.id, s.role]));
      const targetsOf = (n: (typeof REFERENCE_FAULT_NAMES)[number]): readonly string[] => REFERENCE_FAULTS[n].targets;
      const targeted = new Set(REFERENCE_FAULT_NAMES.flatMap(targetsOf));
      const untargeted = [...byId.keys()].filter((id) => !targeted.has(id));
      expect(
        untargeted,
        'scenarios no reference fault targets: add a fault to src/partners/reference/faults.ts that breaks their rule',
      ).toEqual([]);
      const dangling = REFERENCE_FAULT_NAMES.flatMap((n) =>
        targetsOf(n)
          .filter((t) => byId.get(t) !== REFERENCE_FAULTS[n].role)
          .map((t) => `${n} → ${t}`),
      );
      expect(dangling, "fault targets that are not scenarios of the fault's role").toEqual([]);
    } finally {
      await c.close();
    }
  });
});

describe('README tables', () => {
  it('the catalogue, self-test and quirk tables are generated from the scenarios, the faults and the quirks', async () => {
    const { readFile, writeFile } = await import('node:fs/promises');
    const { MARKERS, between, catalogueTable, quirkTable, selftestTable } = await import('./readme-tables.js');
    const c = await openCatalogue();
    try {
      const path = new URL('../../../README.md', import.meta.url);
      const text = await readFile(path, 'utf8');
      const expected = between(
        between(
          between(text, MARKERS.catalogue, catalogueTable(c.scenarios)),
          MARKERS.selftest,
          selftestTable(c.scenarios),
        ),
        MARKERS.quirks,
        quirkTable(),
      );
      if (process.env.UPDATE_README === '1') await writeFile(path, expected);
      expect(
        text,
        'README tables are stale: run UPDATE_README=1 npx vitest run -c test/vitest.config.ts test/integration/selftest/coverage.test.ts',
      ).toBe(expected);
    } finally {
      await c.close();
    }
  });
});
