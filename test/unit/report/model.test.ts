import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import {
  exitCodeFor,
  REPORT_SCHEMA_PATH,
  type ReportExchange,
  redactExchange,
  redactHeaders,
  redactUrl,
  reportSchemaText,
  summarize,
  worstOf,
} from '../../../src/harness/report/index.js';
import type { ReportOcppFrame } from '../../../src/harness/report/model.js';
import type { OcppFrame } from '../../../src/ocpp/frames.js';
import type { Exchange } from '../../../src/shared/exchange.js';
import { exampleReport } from '../../fixtures/report/example.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

describe('report model and its shipped JSON Schema', () => {
  it('the shipped schema file is what the TypeBox model generates', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    expect(await readFile(`${root}${REPORT_SCHEMA_PATH}`, 'utf8')).toBe(reportSchemaText());
  });

  it('the example report validates against the shipped schema, and a broken one does not', () => {
    const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
    const validate = ajv.compile(JSON.parse(reportSchemaText()));
    const report = exampleReport();
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(validate({ ...report, summary: { ...report.summary, verdict: 'maybe' } })).toBe(false);
  });

  it('a report exchange has exactly the fields of a recorded Exchange', () => {
    // Compile-time: each key set must cover the other.
    const a: Record<keyof Exchange, true> = {} as Record<keyof ReportExchange, true>;
    const b: Record<keyof ReportExchange, true> = {} as Record<keyof Exchange, true>;
    expect([a, b]).toHaveLength(2);
  });

  it('a report OCPP frame has exactly the fields of a logged OcppFrame', () => {
    const a: Record<keyof OcppFrame, true> = {} as Record<keyof ReportOcppFrame, true>;
    const b: Record<keyof ReportOcppFrame, true> = {} as Record<keyof OcppFrame, true>;
    expect([a, b]).toHaveLength(2);
  });
});

describe('outcomes and the exit-code contract', () => {
  const item = (outcome: 'passed' | 'failed' | 'skipped' | 'error', mandatory = true) => ({ outcome, mandatory });

  it('aggregates worst-of: error > failed > skipped > passed', () => {
    expect(worstOf([])).toBe('passed');
    expect(worstOf(['passed', 'skipped'])).toBe('skipped');
    expect(worstOf(['skipped', 'failed', 'passed'])).toBe('failed');
    expect(worstOf(['failed', 'error'])).toBe('error');
  });

  it('a skipped optional item never counts as a failure; a skipped mandatory one does', () => {
    expect(summarize([item('passed'), item('skipped', false)]).verdict).toBe('passed');
    expect(exitCodeFor({ items: [item('passed'), item('skipped', false)] } as never)).toBe(0);
    expect(exitCodeFor({ items: [item('passed'), item('skipped')] } as never)).toBe(1);
  });

  it('an optional item that ran (a service the partner offers) counts like a mandatory one', () => {
    expect(summarize([item('failed', false), item('passed')]).verdict).toBe('failed');
    expect(exitCodeFor({ items: [item('failed', false), item('passed')] } as never)).toBe(1);
    expect(exitCodeFor({ items: [item('error', false), item('passed')] } as never)).toBe(3);
    expect(exitCodeFor({ items: [item('passed', false), item('passed')] } as never)).toBe(0);
  });

  it('1 when a mandatory item failed, 3 when one could not be checked or a reporter crashed', () => {
    expect(exitCodeFor({ items: [item('failed'), item('passed')] } as never)).toBe(1);
    expect(exitCodeFor({ items: [item('failed'), item('error')] } as never)).toBe(3);
    expect(
      exitCodeFor({ items: [item('passed')] } as never, [
        { reporter: 'html', code: 'REPORTER_FAILED', message: 'boom' },
      ]),
    ).toBe(3);
    expect(exitCodeFor(exampleReport())).toBe(3);
  });
});

describe('redaction', () => {
  it('hides secret headers, credentials in URLs and token parameters, and keeps the rest', () => {
    expect(
      redactHeaders({
        authorization: 'Bearer abc',
        'x-api-key': 'k',
        'content-type': 'application/json',
        'x-trace': 'Basic Zm9v',
      }),
    ).toEqual({
      authorization: '[REDACTED]',
      'x-api-key': '[REDACTED]',
      'content-type': 'application/json',
      'x-trace': '[REDACTED]',
    });
    expect(redactUrl('https://user:pw@cpo.example/oicp?operatorID=DE*ABC&token=s3cret')).toBe(
      'https://[REDACTED]@cpo.example/oicp?operatorID=DE*ABC&token=[REDACTED]',
    );
    const x = exampleReport().exchanges[0]!;
    const withSecret = {
      ...x,
      request: { ...x.request, headers: { ...x.request.headers, cookie: 'sid=1' } },
    } as unknown as Exchange;
    expect(redactExchange(withSecret).request.headers.cookie).toBe('[REDACTED]');
  });
});
