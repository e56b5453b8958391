import { pullEvseStatusVariant } from '../oicp/messages.js';
import { OPERATION_IDS, OPERATIONS, type OperationId } from '../oicp/operations.js';

/** One path the hub serves. `resolve` picks the operation from the body where one path carries several. */
interface Route {
  pattern: RegExp;
  template: string;
  /** The operation the path names (for `/status-records`, the plain PullEvseStatus). */
  operation: OperationId;
  resolve: (body: unknown) => OperationId;
}

export interface RouteMatch {
  operation: OperationId;
  pathIds: { operatorID?: string; providerID?: string };
}

/** `/x/{operatorID}/y` → `^/base/x/(?<operatorID>[^/]+)/y/?$`; the EMP OpenAPI's `{externalID}` is a ProviderID. */
const toRegExp = (basePath: string, template: string): RegExp => {
  const source = `${basePath}${template}`
    .split(/(\{[A-Za-z]+\})/)
    .map((part) => {
      const name = /^\{(operatorID|providerID|externalID)\}$/i.exec(part)?.[1];
      if (!name) return part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
      return `(?<${name.toLowerCase() === 'operatorid' ? 'operatorID' : 'providerID'}>[^/]+)`;
    })
    .join('');
  return new RegExp(`^${source}/?$`);
};

/**
 * The hub's route table, built from the operation catalogue. The EMP OpenAPI serves all three PullEvseStatus forms
 * on `/status-records` (the body decides); OICP 2.3 EMP, 06 Code Snippets gives ByID/ByOperatorID their own paths.
 * Both are served.
 */
export class RouteTable {
  private readonly routes: Route[];

  constructor(private readonly basePath: string) {
    this.routes = OPERATION_IDS.flatMap((id) =>
      OPERATIONS[id].hubPaths.map((template) => ({
        template,
        operation: id,
        pattern: toRegExp(basePath, template),
        resolve: id === 'PullEvseStatus' ? (body: unknown) => pullEvseStatusVariant(body) : () => id,
      })),
    );
  }

  /** The route for a URL path, or undefined. Call `resolve` once the body is parsed. */
  match(pathname: string): { route: Route; pathIds: RouteMatch['pathIds'] } | undefined {
    for (const route of this.routes) {
      const m = route.pattern.exec(pathname);
      if (m) {
        const g = m.groups ?? {};
        // Filled in place, not spread: a literal that starts with a spread gets a hidden class of its own per request
        // (see shared/own-properties.ts, copyWith).
        const pathIds: RouteMatch['pathIds'] = {};
        if (g.operatorID !== undefined) pathIds.operatorID = safeDecode(g.operatorID);
        if (g.providerID !== undefined) pathIds.providerID = safeDecode(g.providerID);
        return { route, pathIds };
      }
    }
    return undefined;
  }

  /** The served path closest to a wrong one, for the 404's hint. */
  closest(pathname: string): string | undefined {
    const rel = pathname.startsWith(this.basePath) ? pathname.slice(this.basePath.length) : pathname;
    let best: { template: string; score: number } | undefined;
    for (const r of this.routes) {
      const score = similarity(rel, r.template);
      if (!best || score > best.score) best = { template: r.template, score };
    }
    return best && best.score > 0.5 ? `${this.basePath}${best.template}` : undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Share of path segments that agree (placeholders match anything). */
function similarity(path: string, template: string): number {
  const a = path.split('/').filter(Boolean);
  const b = template.split('/').filter(Boolean);
  const n = Math.max(a.length, b.length);
  let same = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i] || b[i]!.startsWith('{')) same++;
  }
  return n === 0 ? 0 : same / n;
}
