// Why the gateway itself refused a caller, before any upstream call. src/graphql/errors.ts maps
// these to UNAUTHENTICATED / FORBIDDEN like the upstream's own 401/403.

/** No credential, or one that fails verification: HTTP 401 for the whole request. */
export class CallerNotAuthenticatedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallerNotAuthenticatedError';
  }
}

/** BFF mode: the caller's token does not grant this org, or the operator holds no key for it. */
export class OrgNotGrantedError extends Error {
  readonly orgId: string;
  constructor(orgId: string) {
    super(`org "${orgId}" is not granted to this caller`);
    this.name = 'OrgNotGrantedError';
    this.orgId = orgId;
  }
}

/** The org's PharmaOne token lacks the scope an endpoint needs: refused without calling it. */
export class MissingScopeError extends Error {
  readonly requiredScope: string;
  readonly route: string;
  constructor(route: string, requiredScope: string) {
    super(`${route} needs scope ${requiredScope}`);
    this.name = 'MissingScopeError';
    this.route = route;
    this.requiredScope = requiredScope;
  }
}
