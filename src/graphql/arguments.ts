// The value a field argument has during execution when the caller sent null: the argument's
// schema default, as when it is omitted. Page sizes live once, as argument defaults in the SDL;
// resolvers and the upstream-call estimate both read them from there.
import type { GraphQLField, GraphQLResolveInfo } from 'graphql';

export function argumentOrDefault(field: GraphQLField<unknown, unknown> | undefined, args: Record<string, unknown>, name: string): unknown {
  return args[name] ?? field?.args.find((arg) => arg.name === name)?.defaultValue ?? undefined;
}

/** `first` (or another size argument) of the field being resolved, null replaced by its schema default. */
export function sizeArgument(info: GraphQLResolveInfo, args: Record<string, unknown>, name: 'first' | 'limit'): number | undefined {
  const value = argumentOrDefault(info.parentType.getFields()[info.fieldName], args, name);
  return typeof value === 'number' ? value : undefined;
}
