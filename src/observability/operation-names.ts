// Operation names come from callers, so they cannot be metric labels as they are: one label value
// per name sent would let any client grow the gateway's memory and every Prometheus series without
// bound. A name becomes a label only if it is a plain GraphQL name of sane length, and only the
// first `maxNames` distinct ones get their own series; the rest share "other".

const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export interface OperationLabeler {
  label(operationName: string | null | undefined): string;
}

export function createOperationLabeler(maxNames: number): OperationLabeler {
  const seen = new Set<string>();
  return {
    label(operationName) {
      if (operationName === null || operationName === undefined || operationName === '') return 'anonymous';
      if (!SAFE_NAME.test(operationName)) return 'invalid';
      if (seen.has(operationName)) return operationName;
      if (seen.size >= maxNames) return 'other';
      seen.add(operationName);
      return operationName;
    },
  };
}
