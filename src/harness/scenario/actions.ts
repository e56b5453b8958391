import { isStationStatus } from '../../partners/station/status.js';
import type { VirtualActors } from '../../partners/virtual/actors.js';
import { SimError } from '../../shared/errors.js';

/**
 * An actor step's action, carried out on the virtual actor in-process (the same actions the /_sim routes offer).
 * Input comes from the scenario after placeholders are filled; a missing or mistyped field is a SIM_INPUT error.
 */
export async function runAction(
  actors: VirtualActors,
  key: string,
  action: string,
  input: Record<string, unknown>,
): Promise<unknown> {
  const str = (name: string): string => {
    const v = input[name];
    if (typeof v !== 'string' || v === '')
      throw new SimError('SIM_INPUT', `${key} ${action} needs "${name}" (a string) in with:`);
    return v;
  };
  const opt = (name: string): string | undefined => (input[name] === undefined ? undefined : str(name));
  const station = actors.station(key);
  const emp = actors.emp(key);
  if (station) {
    switch (action) {
      case 'plug':
        return station.plug(str('evseId'));
      case 'unplug':
        return station.unplug(str('evseId'));
      case 'stop':
        return station.stop(str('evseId'));
      case 'swipe':
        return station.swipe(str('evseId'), str('uid'));
      case 'report-error':
        return station.reportError(str('evseId'), str('errorType'), opt('info'));
      case 'scan-qr':
        return station.scanQr(str('evseId'), str('evcoId'), opt('pin'));
      case 'status': {
        const status = str('status');
        if (!isStationStatus(status))
          throw new SimError('SIM_INPUT', `${status} is not an EVSE status a station can be in`);
        return station.setStatus(str('evseId'), status);
      }
    }
  }
  if (emp) {
    switch (action) {
      case 'remote-start':
        return emp.remoteStart({ evseId: str('evseId'), customer: opt('customer') });
      case 'remote-stop':
        return emp.remoteStop({ sessionId: str('sessionId'), evseId: opt('evseId') });
      case 'reservation-start': {
        const minutes = input.durationMinutes;
        return emp.reservationStart({
          evseId: str('evseId'),
          customer: opt('customer'),
          durationMinutes: typeof minutes === 'number' ? minutes : undefined,
        });
      }
      case 'reservation-stop':
        return emp.reservationStop({ sessionId: str('sessionId'), evseId: opt('evseId') });
      case 'pull-evse-data': {
        const { page, size, ...filters } = input;
        const whole = (name: string, v: unknown): number | undefined => {
          if (v === undefined) return undefined;
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
            throw new SimError('SIM_INPUT', `${key} ${action}: "${name}" must be a whole number ≥ 0 in with:`);
          return v;
        };
        return emp.pullEvseData(filters, { page: whole('page', page), size: whole('size', size) });
      }
      case 'pull-evse-status':
        return emp.pullEvseStatus({ evseIds: Array.isArray(input.evseIds) ? (input.evseIds as string[]) : undefined });
      case 'get-cdrs':
        return emp.getChargeDetailRecords({ from: opt('from'), to: opt('to') });
      case 'push-auth-data':
        return emp.pushAuthenticationData();
    }
  }
  throw new SimError(
    'SIM_ACTION',
    station || emp ? `${key} has no action ${action}` : `no virtual actor ${key} is running`,
  );
}
