// The one operation-name rule. Operation names come from callers, so they are free text until
// checked: a name is logged, traced or used as a metric label only if it is a plain GraphQL Name
// of sane length. As metric labels they are bounded too: one label value per name sent would let
// any client grow the gateway's memory and every Prometheus series without bound, so only the
// first `maxNames` distinct ones get their own series; the rest share "other".

const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The caller's operation name if it is a plain GraphQL Name of at most 64 characters, else undefined. */
export function safeOperationName(name: unknown): string | undefined {
  return typeof name === 'string' && SAFE_NAME.test(name) ? name : undefined;
}

export interface OperationLabeler {
  label(operationName: string | null | undefined): string;
}

export function createOperationLabeler(maxNames: number): OperationLabeler {
  const seen = new Set<string>();
  return {
    label(operationName) {
      if (operationName === null || operationName === undefined || operationName === '') return 'anonymous';
      if (safeOperationName(operationName) === undefined) return 'invalid';
      if (seen.has(operationName)) return operationName;
      if (seen.size >= maxNames) return 'other';
      seen.add(operationName);
      return operationName;
    },
  };
}
