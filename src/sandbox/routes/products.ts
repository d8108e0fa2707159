// §12: one shop's catalog; shop_id is required (seed), search matches names case-insensitively.
import { errorReply, notFound } from '../errors.ts';
import { pageParams, paginated, stringParam } from '../query-params.ts';
import type { RouteDefinition } from '../route-types.ts';
import { productJson } from '../wire-format.ts';
import { MANAGER_V2 } from './paths.ts';

export const productRoutes: RouteDefinition[] = [
  {
    method: 'GET',
    path: `${MANAGER_V2}/products`,
    auth: { kind: 'jwt', scope: 'products:read' },
    handle: ({ org, query }) => {
      const shopId = stringParam(query, 'shop_id');
      if (shopId === undefined || shopId === '') return errorReply(400, 'invalid_parameter', 'shop_id is required');
      const page = pageParams(query);
      if (!org.shops.some((shop) => shop.id === shopId)) return notFound(`Shop ${shopId} not found`);
      const search = stringParam(query, 'search')?.toLowerCase();
      const rows = org.products
        .filter((product) => product.shopId === shopId && (search === undefined || product.name.toLowerCase().includes(search)))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return { status: 200, body: paginated(rows, page, productJson) };
    },
  },
];
