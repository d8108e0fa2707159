import { describe, expect, it } from 'vitest';
import { manager, ORG2_KEY, type RestSchema, signedInSandbox } from '../support/sandbox.ts';

type Products = RestSchema<'ProductList'>;

const ctx = signedInSandbox({ reset: false });

describe('shops (§2)', () => {
  it("lists the org's shops with their proxy URLs on this sandbox", async () => {
    const res = await ctx.client.get(`${manager()}/shops`, { token: ctx.token });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [
        { id: 'shop1', name: 'Demo Shop DEV', url: `${ctx.sandbox.url}/shops/shop1`, active: true },
        { id: 'shop2', name: 'Stadt-Apotheke Demo', url: `${ctx.sandbox.url}/shops/shop2`, active: true },
      ],
    });
  });

  it('gives org2 its single shop3', async () => {
    const res = await ctx.client.get<RestSchema<'ShopList'>>(`${manager('org2')}/shops`, { token: await ctx.client.token(ORG2_KEY) });

    expect(res.body.data.map((shop) => shop.id)).toEqual(['shop3']);
  });
});

describe('inventory (§11)', () => {
  async function all(query: Record<string, string> = {}) {
    const rows: RestSchema<'InventoryItem'>[] = [];
    for (let offset = 0; ; offset += 100) {
      const res = await ctx.client.get<RestSchema<'InventoryList'>>(`${manager()}/inventory`, {
        token: ctx.token,
        query: { ...query, limit: 100, offset },
      });
      rows.push(...res.body.data);
      if (offset + 100 >= res.body.pagination.total) return rows;
    }
  }

  it('has one row per catalog product of each shop', async () => {
    const rows = await all();
    const shop1Catalog = await ctx.client.get<Products>(`${manager()}/products`, {
      token: ctx.token,
      query: { shop_id: 'shop1', limit: 100 },
    });

    expect(
      rows
        .filter((row) => row.shop_id === 'shop1')
        .map((row) => row.p1_id)
        .sort(),
    ).toEqual(shop1Catalog.body.data.map((product) => product.p1_id).sort());
    expect(new Set(rows.map((row) => row.shop_id))).toEqual(new Set(['shop1', 'shop2']));
  });

  it('keeps only rows at or below their reorder level with low_stock=true', async () => {
    const low = await all({ low_stock: 'true' });
    const healthy = await all({ low_stock: 'false' });
    const everything = await all();

    expect(low.length).toBeGreaterThan(5);
    expect(low.every((row) => row.quantity - row.reserved <= row.reorder_level)).toBe(true);
    expect(healthy.every((row) => row.quantity - row.reserved > row.reorder_level)).toBe(true);
    expect(low.length + healthy.length).toBe(everything.length);
  });

  it('filters by shop and pages', async () => {
    const res = await ctx.client.get<RestSchema<'InventoryList'>>(`${manager()}/inventory`, {
      token: ctx.token,
      query: { shop_id: 'shop2', limit: 5, offset: 5 },
    });

    expect(res.body.data).toHaveLength(5);
    expect(res.body.data.every((row) => row.shop_id === 'shop2')).toBe(true);
    expect(res.body.pagination).toEqual({ limit: 5, offset: 5, total: 48 });
  });

  it('rejects low_stock values other than true and false', async () => {
    const res = await ctx.client.get<RestSchema<'Error'>>(`${manager()}/inventory`, { token: ctx.token, query: { low_stock: 'yes' } });

    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_parameter');
  });
});

describe('products (§12)', () => {
  const PRODUCTS = `${manager()}/products`;

  it('requires shop_id (400 without it)', async () => {
    const res = await ctx.client.get(PRODUCTS, { token: ctx.token });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_parameter', message: 'shop_id is required' });
  });

  it("answers 404 for a shop outside the org's", async () => {
    const res = await ctx.client.get(PRODUCTS, { token: ctx.token, query: { shop_id: 'shop3' } });

    expect(res.status).toBe(404);
  });

  it('lists a pharmacy catalog of 40–80 products ordered by name, with P1 ids', async () => {
    const res = await ctx.client.get<Products>(PRODUCTS, { token: ctx.token, query: { shop_id: 'shop1', limit: 100 } });

    expect(res.body.pagination.total).toBeGreaterThanOrEqual(40);
    expect(res.body.pagination.total).toBeLessThanOrEqual(80);
    const names = res.body.data.map((product) => product.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(res.body.data[0]).toEqual({
      id: expect.stringMatching(/^PRD_shop1_\d{6}$/),
      p1_id: expect.stringMatching(/^P1-\d{6}$/),
      shop_id: 'shop1',
      name: expect.any(String),
      category: expect.any(String),
      price: expect.any(Number),
      unit: expect.any(String),
      active: expect.any(Boolean),
    });
  });

  it('finds products by case-insensitive name search', async () => {
    const res = await ctx.client.get<Products>(PRODUCTS, { token: ctx.token, query: { shop_id: 'shop1', search: 'CANNABIS FLOS 27' } });

    expect(res.body.data).toEqual([expect.objectContaining({ name: 'Cannabis flos 27/1', p1_id: 'P1-000101', price: 5.1, unit: 'g' })]);
    expect(res.body.pagination.total).toBe(1);
  });

  it('shares p1_ids across shops, each at its own price', async () => {
    const shop1 = (await ctx.client.get<Products>(PRODUCTS, { token: ctx.token, query: { shop_id: 'shop1', limit: 100 } })).body.data;
    const shop2 = (await ctx.client.get<Products>(PRODUCTS, { token: ctx.token, query: { shop_id: 'shop2', limit: 100 } })).body.data;

    const shared = shop2.filter((product) => shop1.some((other) => other.p1_id === product.p1_id));
    expect(shared.length).toBeGreaterThan(10);
    expect(shared.some((product) => shop1.find((other) => other.p1_id === product.p1_id)?.price !== product.price)).toBe(true);
  });
});
