// PharmaOne (the sandbox) called directly, as the floor a scenario measures the gateway against:
// one token exchange, then GETs under the org with its bearer token over the caller's pool.
import type { Agent } from 'undici';
import { request } from 'undici';

/** A GET of `path` under org1 (`/orders?…`), its JSON body; anything but 200 fails the run. */
export type DirectGet = (path: string) => Promise<unknown>;

export async function directPharmaOne(baseUrl: string, apikey: string, pool: Agent): Promise<DirectGet> {
  const org = `${baseUrl}/api/v2/public/orgs/org1`;
  const tokenRes = await request(`${org}/auth/token`, { method: 'POST', headers: { apikey }, dispatcher: pool });
  const { access_token: token } = (await tokenRes.body.json()) as { access_token: string };
  return async (path) => {
    const res = await request(`${org}${path}`, { headers: { authorization: `Bearer ${token}` }, dispatcher: pool });
    if (res.statusCode !== 200) throw new Error(`floor GET ${path} answered ${res.statusCode}`);
    return res.body.json();
  };
}
