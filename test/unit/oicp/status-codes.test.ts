import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStatusCodeValue, STATUS_CODES, type StatusCodeValue, statusCode } from '../../../src/oicp/status-codes.js';
import { validateMessage } from '../../../src/oicp/validate.js';
import { OICP_REFERENCE_DIR, referenceTitle } from '../../helpers/oicp-reference.js';

/** The code table of DIGEST section b: `| 000 | Success | general | … |`. */
function digestCodes(): Map<string, string> {
  if (OICP_REFERENCE_DIR === undefined) throw new Error('no OICP reference folder');
  const digest = readFileSync(path.join(OICP_REFERENCE_DIR, 'DIGEST.md'), 'utf8');
  const sectionB = digest.slice(digest.indexOf('## b.'), digest.indexOf('## c.'));
  const rows = [...sectionB.matchAll(/^\| (\d{3}) \| [^|]+ \| ([^|]+) \|/gm)];
  return new Map(rows.map((row) => [row[1] ?? '', (row[2] ?? '').trim()]));
}

const codes = Object.keys(STATUS_CODES) as StatusCodeValue[];

describe('STATUS_CODES', () => {
  const withDigest = it.skipIf(OICP_REFERENCE_DIR === undefined);

  withDigest(referenceTitle('holds exactly the codes of DIGEST section b'), () => {
    const digest = digestCodes();
    expect(digest.size).toBe(31);
    expect(codes.sort()).toEqual([...digest.keys()].sort());
  });

  withDigest(referenceTitle('puts every code in the group the digest gives (the first one where it gives two)'), () => {
    for (const [code, group] of digestCodes()) {
      expect(STATUS_CODES[code as StatusCodeValue].group, code).toBe(group.split('/')[0]);
    }
  });

  it('keeps every description within the 200 characters of StatusCode.Description', () => {
    for (const code of codes) expect(STATUS_CODES[code].description.length, code).toBeLessThanOrEqual(200);
  });
});

describe('statusCode', () => {
  it("builds {Code, Description} for '603' without AdditionalInfo", () => {
    expect(statusCode('603')).toStrictEqual({ Code: '603', Description: 'Unknown EvseID' });
  });

  it('adds AdditionalInfo when given', () => {
    expect(statusCode('018', 'DE*XYZ*E1 is not yours')).toStrictEqual({
      Code: '018',
      Description: STATUS_CODES['018'].description,
      AdditionalInfo: 'DE*XYZ*E1 is not yours',
    });
  });

  it.each(codes)('produces a schema-valid acknowledgement for %s', (code) => {
    const body = { Result: code === '000', StatusCode: statusCode(code, 'details') };
    expect(validateMessage('PushEvseData', 'response', body)).toEqual([]);
  });
});

describe('isStatusCodeValue', () => {
  it.each(['000', '022', '700'])('accepts %s', (s) => expect(isStatusCodeValue(s)).toBe(true));
  it.each(['0', '999', '100', 'toString', ''])('rejects %j', (s) => expect(isStatusCodeValue(s)).toBe(false));
});
