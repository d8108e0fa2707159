// Path prefixes of the three hosts the sandbox stands in for, all served by one server.

/** Manager v2, JWT-authenticated (§1–§6, §9–§14). */
export const MANAGER_V2 = '/api/v2/public/orgs/{org}';
/** Manager v1 behind Kong's key check (§7). */
export const MANAGER_V1 = '/api/v1/public/orgs/{org}';
/** A shop's own host (§8); the real thing is https://{shopId}.pharmaone.dev.secpaid.com. */
export const SHOP_HOST = '/shops/{shopId}';
