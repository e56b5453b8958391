import { describe, expect, it } from 'vitest';
import { validateMessage } from '../../../src/oicp/validate.js';
import { evseRecord, pushEvseData } from '../../helpers/messages.js';

describe('unknown properties', () => {
  it('names each unknown property by its JSON pointer, deep in arrays, with ~ and / escaped', () => {
    const body = pushEvseData('DE*CPA', [
      evseRecord('DE*CPA*E1'),
      evseRecord('DE*CPA*E2', {
        Address: { Country: 'DEU', City: 'Berlin', Street: 'A', PostalCode: '10178', 'House/Num~ber': '13' },
        evseStatus: 'Available',
      }),
    ]) as Record<string, any>;
    body.OperatorEvseData.operatorID = 'DE*CPA';
    const warnings = validateMessage('PushEvseData', 'request', body).filter((v) => v.severity === 'warning');
    expect(warnings.map((v) => v.pointer)).toEqual([
      '/OperatorEvseData/EvseDataRecord/1/Address/House~1Num~0ber',
      '/OperatorEvseData/EvseDataRecord/1/evseStatus',
      '/OperatorEvseData/operatorID',
    ]);
    expect(warnings[2]!.message).toContain('did you mean OperatorID?');
  });

  it('reports a __proto__ key sent in JSON as unknown instead of walking the prototype', () => {
    const body = JSON.parse(
      JSON.stringify(pushEvseData('DE*CPA', [evseRecord('DE*CPA*E1')])).replace(
        '{"ActionType"',
        '{"__proto__":{},"ActionType"',
      ),
    );
    const warnings = validateMessage('PushEvseData', 'request', body).filter((v) => v.severity === 'warning');
    expect(warnings.map((v) => v.pointer)).toEqual(['/__proto__']);
  });
});
