// Resolver parents of the viewer module (codegen `mappers`, see codegen.ts).

/** An org the caller's credential holds a JWT for, with that JWT's scopes. */
export type ViewerOrgParent = { id: string; scopes: string[] };
