// The frame of the scalars carried as checked strings (Date, DateTime): a literal or variable
// either passes the scalar's own check and goes through unchanged, or is refused with the
// scalar's message naming what the client sent.
import { GraphQLError, GraphQLScalarType, Kind, print } from 'graphql';
import type { ValueNode } from 'graphql';

export interface StringScalarSpec {
  name: string;
  description: string;
  specifiedByURL: string;
  /** Output; throws for a value the scalar cannot represent. */
  serialize(value: unknown): string;
  /** Whether an input string is a value of the scalar. */
  accepts(value: string): boolean;
  /** The client-facing message for a refused input; `shown` is the literal or the variable's JSON. */
  refusal(shown: string): string;
}

export function createStringScalar(spec: StringScalarSpec): GraphQLScalarType<string, string> {
  function parse(value: unknown, node?: ValueNode): string {
    if (typeof value === 'string' && spec.accepts(value)) return value;
    const shown = node === undefined ? (JSON.stringify(value) ?? String(value)) : print(node);
    throw new GraphQLError(spec.refusal(shown), node === undefined ? {} : { nodes: node });
  }
  return new GraphQLScalarType<string, string>({
    name: spec.name,
    description: spec.description,
    specifiedByURL: spec.specifiedByURL,
    serialize: spec.serialize,
    parseValue: (value) => parse(value),
    parseLiteral: (node) => parse(node.kind === Kind.STRING ? node.value : undefined, node),
  });
}
