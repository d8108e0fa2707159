// Admission rules that read an operation's variables, so they see what execution will see whether
// a value came as a literal or as a variable. Each refuses the whole operation before any resolver
// runs. Apollo's pipeline runs them at didResolveOperation (the plugin below); the prepared-operation
// path (src/graphql/prepared-operations.ts) runs the same list and hands a request any of them
// refuses to Apollo, so both paths give the same answer.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { FragmentDefinitionNode, GraphQLError, OperationDefinitionNode } from 'graphql';
import { fragmentsOf } from '../safety/upstream-call-budget.ts';

/** The error that refuses the operation (with its HTTP status in extensions.http), or undefined when it passes. */
export type AdmissionRule = (
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  /** Raw, as the caller sent them. */
  variables: Record<string, unknown>,
) => GraphQLError | undefined;

/** The first refusal of the rules, in their order. */
export function firstRefusal(
  rules: readonly AdmissionRule[],
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): GraphQLError | undefined {
  for (const rule of rules) {
    const refusal = rule(operation, fragments, variables);
    if (refusal) return refusal;
  }
  return undefined;
}

export function admissionRulesPlugin<TContext extends BaseContext>(rules: readonly AdmissionRule[]): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const refusal = firstRefusal(rules, operation, fragmentsOf(document), request.variables ?? {});
          if (refusal) throw refusal;
        },
      };
    },
  };
}
