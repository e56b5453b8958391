import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultWorldDir } from '../../../../src/config/world/load.js';
import { schemaFiles } from '../../../../src/config/world/schema-files.js';

describe('simulator/schema/*.schema.json', () => {
  it.each(schemaFiles())(
    'should match the generated $path (run src/config/world/write-schemas.ts if not)',
    async ({ path, text }) => {
      expect(await readFile(join(defaultWorldDir(), path), 'utf8')).toBe(text);
    },
  );

  it('should be referenced from the first line of every YAML file of the default world', async () => {
    const dir = defaultWorldDir();
    const first = async (file: string): Promise<string> =>
      (await readFile(join(dir, file), 'utf8')).split('\n')[0] ?? '';
    expect(await first('world.yaml')).toBe('# yaml-language-server: $schema=./schema/world.schema.json');
    for (const file of await readdir(join(dir, 'partners'))) {
      expect(await first(join('partners', file)), file).toBe(
        '# yaml-language-server: $schema=../schema/partner.schema.json',
      );
    }
  });
});
