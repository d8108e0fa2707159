// Bad write input is refused before any upstream call: control and bidi-override characters in
// any text input of any mutation (every String/ID path, found by walking the schema, so a new
// input field is covered without touching this test), and money and quantities past the
// documented limits. Each refusal is a userErrors entry with the offending field's path.
import { getNamedType, isInputObjectType, isListType, isNonNullType, isScalarType } from 'graphql';
import type { GraphQLInputType } from 'graphql';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildGatewaySchema } from '../../src/schema/schema.ts';
import { LIMITS } from '../../src/writes/validate-input.ts';
import { dataOf, stackFixture } from '../support/gateway.ts';
import { prescriptionInput } from '../support/write-inputs.ts';

const stack = stackFixture();
beforeEach(() => stack.sandbox.reset());

const customer = {
  name: 'Jürgen Müller',
  email: 'j.mueller@example.org',
  address: { street: 'Musterstr. 1', city: 'Berlin', postalCode: '10115', phone: '+49 30 1234567' },
};
const items = [{ name: 'Ibuprofen 400', quantity: 2, unitPrice: '4.99', p1Id: 'P1-000123' }];

/** A valid input for every mutation, with every optional text field set. */
const VALID: Record<string, Record<string, unknown>> = {
  updateOrderStatus: { orgId: 'org1', orderId: 'ORD_20260614_8v039dhnrv', status: 'CANCELLED', idempotencyKey: 'key-1' },
  submitOrderRequest: {
    orgId: 'org1',
    shopId: 'shop1',
    customer,
    items,
    shippingOption: 'standard',
    externalReference: 'ext-1',
    source: 'web',
    idempotencyKey: 'key-2',
  },
  submitExternalOrder: {
    orgId: 'org1',
    shopId: 'shop1',
    externalReference: 'ext-2',
    source: 'web',
    customer,
    items,
    shippingOption: 'standard',
    idempotencyKey: 'key-3',
  },
  ingestPrescription: prescriptionInput({ idempotencyKey: 'key-4' }),
};

/** What every mutation answers here: its payload's userErrors, keyed by the mutation's name. */
type MutationAnswer = Record<string, { userErrors: Array<{ field: string[] | null; code: string; message: string }> } | undefined>;

const MUTATION = (name: string) =>
  `mutation($input: ${inputTypeName(name)}!) { ${name}(input: $input) { userErrors { field code message } } }`;

const schema = buildGatewaySchema();
function inputTypeName(mutation: string): string {
  const arg = schema
    .getMutationType()
    ?.getFields()
    [mutation]?.args.find((a) => a.name === 'input');
  return getNamedType(arg?.type ?? null)?.name ?? '';
}

/** Every path below `type` that ends in a String or ID (lists: their first element). */
function textPaths(type: GraphQLInputType, path: string[]): string[][] {
  if (isNonNullType(type)) return textPaths(type.ofType, path);
  if (isListType(type)) return textPaths(type.ofType, [...path, '0']);
  if (isInputObjectType(type)) return Object.values(type.getFields()).flatMap((field) => textPaths(field.type, [...path, field.name]));
  return isScalarType(type) && (type.name === 'String' || type.name === 'ID') ? [path] : [];
}

const TEXT_PATHS = Object.keys(VALID).flatMap((mutation) => {
  const arg = schema
    .getMutationType()
    ?.getFields()
    [mutation]?.args.find((a) => a.name === 'input');
  return arg ? textPaths(arg.type, []).map((path) => ({ mutation, path })) : [];
});

function withValue(input: Record<string, unknown>, path: string[], value: string): Record<string, unknown> {
  const copy = structuredClone(input);
  let target: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = path[path.length - 1] as string;
  if (!(last in target)) throw new Error(`VALID.${path.join('.')} is missing: give every text field a value`);
  target[last] = `${String(target[last]).slice(0, 3)}${value}x`;
  return copy;
}

const FORBIDDEN = {
  NUL: '\u0000',
  BEL: '\u0007',
  ESC: '\u001b',
  'line feed': '\n',
  DEL: '\u007f',
  'C1 NEL': '\u0085',
  'C1 CSI': '\u009b',
  LRE: '\u202a',
  RLO: '\u202e',
  LRI: '\u2066',
  PDI: '\u2069',
  'lone surrogate': '\ud800',
};

describe('text inputs of every mutation', () => {
  it('finds the text fields by walking the schema (the table below is not a hand-kept list)', () => {
    expect(TEXT_PATHS.length).toBeGreaterThanOrEqual(30);
    expect(TEXT_PATHS).toContainEqual({ mutation: 'submitOrderRequest', path: ['customer', 'address', 'street'] });
    expect(TEXT_PATHS).toContainEqual({ mutation: 'ingestPrescription', path: ['items', '0', 'dosage'] });
  });

  it.each(Object.entries(FORBIDDEN))(
    'refuses %s in every text field with a userError at its path and no upstream call',
    async (_, character) => {
      const missed: string[] = [];
      for (const { mutation, path } of TEXT_PATHS) {
        stack.sandbox.calls.clear();
        const res = await stack.gql<MutationAnswer>(MUTATION(mutation), { input: withValue(VALID[mutation] ?? {}, path, character) });
        const userErrors = res.body.data?.[mutation]?.userErrors ?? [];
        const atPath = userErrors.some(
          (error) => error.code === 'INVALID_INPUT' && error.field?.join('.') === ['input', ...path].join('.'),
        );
        if (!atPath || stack.sandbox.calls.list().length !== 0) missed.push(`${mutation} ${path.join('.')}`);
      }
      expect(missed).toEqual([]);
    },
  );

  it('accepts letters of every script, including right-to-left names without override characters', async () => {
    const input = {
      ...VALID.submitOrderRequest,
      idempotencyKey: undefined,
      customer: { ...customer, name: 'محمد Özdemir 李雷 Ñandú' },
    };
    const res = await stack.gql<MutationAnswer>(MUTATION('submitOrderRequest'), { input });
    expect(dataOf(res).submitOrderRequest?.userErrors).toEqual([]);
  });
});

describe('money and quantity limits', () => {
  const order = (lines: Array<{ quantity: number; unitPrice: string }>) => ({
    ...VALID.submitOrderRequest,
    idempotencyKey: undefined,
    items: lines.map((line, index) => ({ name: `item ${index}`, ...line })),
  });
  const CASES: Array<[string, Record<string, unknown>, string[]]> = [
    [
      'a unit price of 90,071,992,547,409.91',
      order([{ quantity: 1, unitPrice: '90071992547409.91' }]),
      ['input', 'items', '0', 'unitPrice'],
    ],
    [
      'a unit price one cent over the limit',
      order([{ quantity: 1, unitPrice: `${LIMITS.unitPriceCents / 100}.01` }]),
      ['input', 'items', '0', 'unitPrice'],
    ],
    ['a quantity over the limit', order([{ quantity: LIMITS.quantity + 1, unitPrice: '1.00' }]), ['input', 'items', '0', 'quantity']],
    [
      'an order total over the limit',
      order(Array.from({ length: 20 }, () => ({ quantity: 1_000, unitPrice: '100.00' }))),
      ['input', 'items'],
    ],
  ];

  it.each(CASES)('refuses %s with a userError and no upstream call', async (_, input, field) => {
    stack.sandbox.calls.clear();
    const res = await stack.gql<MutationAnswer>(MUTATION('submitOrderRequest'), { input });
    expect(dataOf(res).submitOrderRequest?.userErrors).toContainEqual({ field, code: 'INVALID_INPUT', message: expect.any(String) });
    expect(stack.sandbox.calls.list()).toEqual([]);
  });

  it('accepts an order exactly at the limits', async () => {
    const atLimit = order([
      { quantity: 1, unitPrice: `${LIMITS.unitPriceCents / 100}.00` },
      { quantity: LIMITS.quantity, unitPrice: `${(LIMITS.totalCents - LIMITS.unitPriceCents) / LIMITS.quantity / 100}` },
    ]);
    const res = await stack.gql<MutationAnswer>(MUTATION('submitOrderRequest'), { input: atLimit });
    expect(dataOf(res).submitOrderRequest?.userErrors).toEqual([]);
  });

  it('bounds prescription quantities the same way', async () => {
    stack.sandbox.calls.clear();
    const input = { ...VALID.ingestPrescription, items: [{ productName: 'A', quantity: LIMITS.quantity + 1 }] };
    const res = await stack.gql<MutationAnswer>(MUTATION('ingestPrescription'), { input });
    expect(dataOf(res).ingestPrescription?.userErrors).toContainEqual({
      field: ['input', 'items', '0', 'quantity'],
      code: 'INVALID_INPUT',
      message: expect.any(String),
    });
    expect(stack.sandbox.calls.list()).toEqual([]);
  });
});
