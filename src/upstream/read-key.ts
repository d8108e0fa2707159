// The key under which one request scope keeps a GET it sent (pharmaone-client.ts, readsOnce): two
// reads share an answer exactly when their route, org, path values and query are the same, and
// no two different reads ever share one, whatever their (hostile) ids hold: `\n`, `:`, quotes, any
// character. Most reads are ids and small page numbers: their key is written directly, each text
// prefixed by its length (so no character needs escaping and none can end a part early) and each
// value by its kind (so "10" and 10 differ, as in JSON). Any other value (null, an object, NaN)
// falls back to the JSON of the whole read, behind a first character no direct key starts with.
import type { RouteKey } from './routes.ts';

type Values = Readonly<Record<string, unknown>> | null | undefined;

/** The key of a read; undefined-valued entries count as absent, as in JSON. */
export function readKey(route: RouteKey, orgId: string, params: Values, query: Values): string {
  if (typeof orgId === 'string') {
    const paramsText = valuesText(params);
    if (paramsText !== undefined) {
      const queryText = valuesText(query);
      if (queryText !== undefined) return `${route}\n${orgId.length}:${orgId}${paramsText}\n?${queryText}`;
    }
  }
  return `\u0000${route}\n${orgId}\n${JSON.stringify(params ?? {})}\n${JSON.stringify(query ?? {})}`;
}

/**
 * Each entry as `\n<name length>:<name>=` and its value: `s<length>:<text>`, `n<number>` (a finite
 * number as JSON writes it, which holds no `\n`), `t` or `f`; undefined when a value is none of these.
 */
function valuesText(values: Values): string | undefined {
  if (values === undefined || values === null) return '';
  if (typeof values !== 'object' || Array.isArray(values)) return undefined;
  let text = '';
  for (const name of Object.keys(values)) {
    const value = values[name];
    if (value === undefined) continue;
    text += `\n${name.length}:${name}=`;
    if (typeof value === 'string') text += `s${value.length}:${value}`;
    else if (typeof value === 'number' && Number.isFinite(value)) text += `n${value}`;
    else if (typeof value === 'boolean') text += value ? 't' : 'f';
    else return undefined;
  }
  return text;
}
