// Admission rules that read an operation's variables, so they see what execution will see whether
// a value came as a literal or as a variable. Each refuses the whole operation before any resolver
// runs; the admission (../admission.ts) runs them, in its order, on every transport.
import type { FragmentDefinitionNode, GraphQLError, OperationDefinitionNode } from 'graphql';

/** The error that refuses the operation (with its HTTP status in extensions.http), or undefined when it passes. */
export type AdmissionRule = (
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  /** Raw, as the caller sent them. */
  variables: Record<string, unknown>,
) => GraphQLError | undefined;
