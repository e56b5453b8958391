/**
 * The charge point's configuration keys (OCPP 1.6 §9.1, core profile), as GetConfiguration reads them and
 * ChangeConfiguration writes them: the keys this charge point acts on, with their OCPP types checked on change.
 */

type Kind = 'integer' | 'boolean';

interface Key {
  value: string;
  readonly: boolean;
  kind: Kind;
}

export class ChargePointConfiguration {
  private readonly keys = new Map<string, Key>();

  constructor(numberOfConnectors: number) {
    const set = (name: string, value: string, kind: Kind, readonly = false): void => {
      this.keys.set(name, { value, readonly, kind });
    };
    set('HeartbeatInterval', '300', 'integer');
    set('MeterValueSampleInterval', '60', 'integer');
    set('AuthorizeRemoteTxRequests', 'false', 'boolean');
    set('ConnectionTimeOut', '60', 'integer');
    set('StopTransactionOnInvalidId', 'true', 'boolean');
    set('NumberOfConnectors', String(numberOfConnectors), 'integer', true);
  }

  get(name: string): string | undefined {
    return this.keys.get(name)?.value;
  }

  /** Sets a key from the charge point's own side (the boot's heartbeat interval). */
  set(name: string, value: string): void {
    const key = this.keys.get(name);
    if (key) key.value = value;
  }

  /** GetConfiguration.conf: every key, or the asked ones with the unknown named. */
  read(names?: string[]): {
    configurationKey: Array<{ key: string; readonly: boolean; value: string }>;
    unknownKey?: string[];
  } {
    const asked = names && names.length > 0 ? names : [...this.keys.keys()];
    const known = asked.filter((n) => this.keys.has(n));
    const unknown = asked.filter((n) => !this.keys.has(n));
    return {
      configurationKey: known.map((n) => ({
        key: n,
        readonly: this.keys.get(n)!.readonly,
        value: this.keys.get(n)!.value,
      })),
      ...(unknown.length > 0 ? { unknownKey: unknown } : {}),
    };
  }

  /** ChangeConfiguration.conf status: NotSupported for an unknown key, Rejected for a read-only one or a bad value. */
  change(name: string, value: string): 'Accepted' | 'Rejected' | 'NotSupported' {
    const key = this.keys.get(name);
    if (!key) return 'NotSupported';
    if (key.readonly) return 'Rejected';
    const ok = key.kind === 'integer' ? /^\d{1,9}$/.test(value) : value === 'true' || value === 'false';
    if (!ok) return 'Rejected';
    key.value = value;
    return 'Accepted';
  }
}
