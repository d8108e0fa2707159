// Resolver parents of the org module (codegen `mappers`, see codegen.ts).

/** An org is just its id: nothing is fetched until a field below it is selected. */
export type OrgParent = { id: string };
