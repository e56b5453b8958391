import { describe, expect, it } from 'vitest';
import { PartnerDirectory } from '../../../src/hub/directory.js';
import { testPartners, testWorld } from '../../helpers/world.js';

describe('PartnerDirectory answers from the current World', () => {
  it('sees a contract added after the same question was answered', () => {
    const directory = new PartnerDirectory(testWorld());
    expect(directory.contracted('DE*CPX', 'DE-EMX', 'authorization')).toBe(false);
    const emx = testPartners().find((p) => p.id === 'DE-EMX')!;
    directory.upsert(emx, [{ cpo: 'DE*CPX', emp: 'DE-EMX', services: ['authorization'] }]);
    expect(directory.contracted('DE*CPX', 'DE-EMX', 'authorization')).toBe(true);
    expect(directory.contracted('DE*CPX', 'DE-EMX', 'reservation')).toBe(false);
  });

  it('gives the partner as it is now after it was locked or given a Service URL', () => {
    const directory = new PartnerDirectory(testWorld());
    expect(directory.byCertificateId('DECPA')?.locked).toBe(false);
    directory.setLocked('cpo-a', true);
    expect(directory.byCertificateId('DE*CPA')?.locked).toBe(true);
    directory.setServiceUrl('cpo-a', 'authorization', 'https://127.0.0.1:1/oicp');
    expect(directory.byCertificateId('DE*CPA')?.serviceTypes.authorization?.serviceUrl).toBe(
      'https://127.0.0.1:1/oicp',
    );
    expect(directory.byCertificateId('DE*CPA')?.locked).toBe(true);
  });

  it('answers an unknown certificate ID with nothing, however often asked', () => {
    const directory = new PartnerDirectory(testWorld());
    for (let i = 0; i < 3; i++) expect(directory.byCertificateId('DE*NOPE')).toBeUndefined();
  });
});
