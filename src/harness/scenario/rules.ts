import { fieldError } from '../../config/diagnostics.js';
import type { PathSegment, SourceFile } from '../../config/source.js';
import { isOperationId, OPERATIONS } from '../../oicp/operations.js';
import { parseFaultSpec } from '../../partners/kit/faults.js';
import type { FieldError } from '../../shared/errors.js';
import { isSimError } from '../../shared/errors.js';
import { needsChargePoints } from './invariants.js';
import { TEST_DATA_KEYS } from './profile.js';
import {
  ACTOR_ACTIONS,
  COMMON_STEP_KEYS,
  KIND_KEYS,
  type ScenarioFile,
  type ScenarioStep,
  STEP_KINDS,
  type StepKind,
} from './schema.js';
import { isDatePlaceholder, placeholderNames } from './template.js';

/**
 * The rules of a scenario the schema cannot say: one kind per step and only its keys; `send` only of what HBS
 * forwards to the role under test and `await` only of what that role sends; actions that fit the actor; every
 * `{{placeholder}}` captured by an earlier step or offered by the partner profile; faults and regexes well formed.
 */

/** What the partner profile offers to templates as {{partner.<name>}}. */
export const PARTNER_VARIABLES: readonly string[] = ['id', ...TEST_DATA_KEYS];

/** Virtual actors the scenarios may drive, by key (from the world), and what kind each is. */
export type KnownActors = ReadonlyMap<string, keyof typeof ACTOR_ACTIONS>;

export function stepKind(step: ScenarioStep): StepKind[] {
  return STEP_KINDS.filter((k) => (step as Record<string, unknown>)[k] !== undefined);
}

export function checkScenario(file: ScenarioFile, source: SourceFile, actors: KnownActors): FieldError[] {
  const errors: FieldError[] = [];
  const err = (path: PathSegment[], message: string, at?: 'key'): void =>
    void errors.push(fieldError(source, path, message, at));
  const captured = new Set<string>();
  if (file.ocpp && file.role !== 'CPO')
    err(['ocpp'], 'only a CPO has charge points: remove `ocpp` or make the role CPO');

  file.steps.forEach((step, i) => {
    const at: PathSegment[] = ['steps', i];
    const kinds = stepKind(step);
    if (kinds.length !== 1) {
      err(
        at,
        kinds.length === 0
          ? `a step needs one of ${STEP_KINDS.join(', ')}`
          : `a step is one kind; this one has ${kinds.join(' and ')}`,
      );
      return;
    }
    const kind = kinds[0]!;
    const allowed = new Set<string>([...KIND_KEYS[kind], ...COMMON_STEP_KEYS]);
    for (const key of Object.keys(step)) {
      if (allowed.has(key)) continue;
      const owner = STEP_KINDS.find((k) => KIND_KEYS[k].includes(key));
      err([...at, key], `\`${key}\` goes with ${owner ?? '?'} steps, not ${kind}`, 'key');
    }
    checkKind(kind, step, file, at, actors, err);

    for (const { path, name } of placeholders(step, at)) {
      if (name.startsWith('partner.')) {
        const variable = name.slice('partner.'.length).split(/[.[]/)[0]!;
        if (!PARTNER_VARIABLES.includes(variable))
          err(
            path,
            `{{${name}}}: the partner profile offers ${PARTNER_VARIABLES.map((v) => `partner.${v}`).join(', ')}`,
          );
      } else if (!captured.has(name) && !isDatePlaceholder(name)) {
        err(
          path,
          `{{${name}}} is not captured by an earlier step${captured.size ? ` (captured so far: ${[...captured].join(', ')})` : ''}`,
        );
      }
    }
    for (const name of Object.keys(step.capture ?? {})) captured.add(name);
  });
  return errors;
}

function checkKind(
  kind: StepKind,
  step: ScenarioStep,
  file: ScenarioFile,
  at: PathSegment[],
  actors: KnownActors,
  err: (path: PathSegment[], message: string, at?: 'key') => void,
): void {
  const role = file.role;
  switch (kind) {
    case 'actor': {
      const actorKind = actors.get(step.actor!);
      if (!actorKind)
        err([...at, 'actor'], `no virtual actor \`${step.actor}\`; known: ${[...actors.keys()].join(', ') || 'none'}`);
      if (!step.action) err(at, 'an actor step needs `action`');
      else if (actorKind && !(ACTOR_ACTIONS[actorKind] as readonly string[]).includes(step.action)) {
        err(
          [...at, 'action'],
          `${step.actor} is a virtual ${actorKind === 'emp' ? 'EMP' : 'station'}; its actions are ${ACTOR_ACTIONS[actorKind].join(', ')}`,
        );
      }
      break;
    }
    case 'send': {
      const op = OPERATIONS[step.send as keyof typeof OPERATIONS];
      if (op && op.forwardedTo !== role)
        err([...at, 'send'], `HBS does not send ${step.send} to a ${role}; it sends ${forwardedTo(role)}`);
      if (step.body === undefined) err(at, 'a send step needs `body`');
      break;
    }
    case 'await': {
      const op = OPERATIONS[step.await as keyof typeof OPERATIONS];
      if (op && op.sender !== role && op.forwardedTo !== role) {
        err(
          [...at, 'await'],
          `a ${role} neither sends nor receives ${step.await}; it sends ${sentBy(role)} and receives ${forwardedTo(role)}`,
        );
      }
      if (step.timeoutMs === undefined) err(at, 'an await step needs `timeoutMs`: how long the partner has');
      checkRegexes(step.match ?? {}, [...at, 'match'], err);
      if (step.absent && step.ifMissing !== undefined)
        err(
          [...at, 'ifMissing'],
          'an await with `absent: true` passes when nothing arrives; `ifMissing` is for an await that wants one',
          'key',
        );
      // Nothing may arrive, so a later {{placeholder}} would have no value: the item's error, not the partner's.
      if (step.ifMissing === 'warn' && step.capture !== undefined)
        err(
          [...at, 'capture'],
          'an await with `ifMissing: warn` may get nothing, so later steps cannot rely on what it captures',
          'key',
        );
      if (step.absent) {
        for (const key of ['expect', 'capture'] as const)
          if (step[key] !== undefined)
            err(
              [...at, key],
              `an await with \`absent: true\` passes when nothing arrives, so there is nothing to ${key === 'expect' ? 'check' : 'capture'}`,
              'key',
            );
      }
      break;
    }
    case 'throttle': {
      const op = OPERATIONS[step.throttle!.operation as keyof typeof OPERATIONS];
      if (op && op.sender !== role)
        err(
          [...at, 'throttle', 'operation'],
          `a ${role} does not send ${step.throttle!.operation} to HBS; it sends ${sentBy(role)}`,
        );
      break;
    }
    case 'fault':
      try {
        parseFaultSpec(step.fault);
      } catch (e) {
        if (!isSimError(e)) throw e;
        for (const f of e.fieldErrors) err([...at, 'fault', ...f.path.split('/').filter(Boolean)], f.message);
      }
      break;
    case 'seed': {
      const seed = step.seed!;
      const stations = [...actors].filter(([, k]) => k === 'station').map(([key]) => key);
      if (actors.get(seed.actor) !== 'station')
        err(
          [...at, 'seed', 'actor'],
          `HBS holds the records of a virtual CPO; known: ${stations.join(', ') || 'none'}`,
        );
      if (seed.evseData === undefined && seed.cdrs === undefined)
        err([...at, 'seed'], 'a seed step needs `evseData` or `cdrs`: how many records HBS holds');
      if (role !== 'EMP')
        err([...at, 'seed'], 'a seed step fills what an EMP pulls (EVSE data, its CDRs); this scenario tests a CPO');
      break;
    }
    case 'trigger':
    case 'wait':
    case 'check':
      break;
  }
  if (step.expect?.exchange !== undefined && !isOperationId(step.expect.exchange))
    err([...at, 'expect', 'exchange'], 'must be an OICP operation');
  // Without charge points such a rule has nothing to compare; the item must say it needs them, so it is skipped.
  for (const [key, names] of [
    ['check', step.check ?? []],
    ['rules', step.expect?.rules ?? []],
  ] as const) {
    names.forEach((name, i) => {
      if (!file.ocpp && needsChargePoints(name))
        err(
          [...at, ...(key === 'rules' ? ['expect', 'rules'] : ['check']), i],
          `${name} compares the CPO with its charge points: add \`ocpp: true\` to the scenario`,
        );
    });
  }
  checkRegexes(step.expect?.fields ?? {}, [...at, 'expect', 'fields'], err);
}

function checkRegexes(
  matchers: Record<string, unknown>,
  at: PathSegment[],
  err: (path: PathSegment[], message: string) => void,
): void {
  for (const [pointer, m] of Object.entries(matchers)) {
    const re = (m as { matches?: unknown } | null)?.matches;
    if (typeof re !== 'string') continue;
    try {
      new RegExp(re);
    } catch (e) {
      err([...at, pointer, 'matches'], `not a regular expression: ${(e as Error).message}`);
    }
  }
}

function forwardedTo(role: 'CPO' | 'EMP'): string {
  return Object.values(OPERATIONS)
    .filter((o) => o.forwardedTo === role)
    .map((o) => o.id)
    .join(', ');
}

function sentBy(role: 'CPO' | 'EMP'): string {
  return Object.values(OPERATIONS)
    .filter((o) => o.sender === role)
    .map((o) => o.id)
    .join(', ');
}

/** Every `{{name}}` in the step's string values, with the path of the string that holds it. */
function placeholders(value: unknown, path: PathSegment[]): Array<{ path: PathSegment[]; name: string }> {
  if (typeof value === 'string') return placeholderNames(value).map((name) => ({ path, name }));
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholders(v, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .filter(([k]) => k !== 'capture')
      .flatMap(([k, v]) => placeholders(v, [...path, k]));
  }
  return [];
}
