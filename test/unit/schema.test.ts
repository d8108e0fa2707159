import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isIntrospectionType,
} from 'graphql';
import type { GraphQLNamedType, GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import codegenConfig, { GRAPHQL_RESOLVERS_OUTPUT } from '../../codegen.ts';
import { ORDER_STATUSES, PAYMENT_STATUSES, PRESCRIPTION_STATUSES } from '../../src/domain/enums.ts';
import { DateScalar } from '../../src/graphql/scalars/Date.ts';
import { DateTimeScalar } from '../../src/graphql/scalars/DateTime.ts';
import { DecimalScalar } from '../../src/graphql/scalars/Decimal.ts';
import { readTypeDefs } from '../../src/schema/sdl-files.ts';

const sdl = readTypeDefs().join('\n');
const schema: GraphQLSchema = buildSchema(sdl);

const ownTypes = (): GraphQLNamedType[] =>
  Object.values(schema.getTypeMap()).filter((type) => !isIntrospectionType(type) && !isSpecifiedScalarType(type));

/** `Type.field(arg: T): R` for every field of a type, to compare with DESIGN.md §4. */
function signatures(typeName: string): Record<string, string> {
  const type = schema.getType(typeName);
  if (isObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields()).map((field) => {
        const args = field.args.map((arg) => `${arg.name}: ${String(arg.type)}`).join(', ');
        return [field.name, `${args === '' ? '' : `(${args})`}${String(field.type)}`];
      }),
    );
  }
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields()).map((field) => [field.name, String(field.type)]));
  }
  throw new Error(`${typeName} is not an object or input type`);
}

const enumValues = (name: string): string[] => {
  const type = schema.getType(name);
  return isEnumType(type) ? type.getValues().map((value) => value.name) : [];
};

describe('the SDL', () => {
  it('describes every type, field, argument, enum value and input field', () => {
    const missing: string[] = [];
    for (const type of ownTypes()) {
      if (!type.description?.trim()) missing.push(type.name);
      if (isObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
          for (const arg of field.args) if (!arg.description?.trim()) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description?.trim()) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  // Names, arguments and named types are exactly §4's. One deliberate difference, written down in
  // docs/architecture.md and the SDL: a field that makes its own PharmaOne call (lists, reports, an order's
  // items) is nullable where §4 wrote `!`, so its failure or a missing scope nulls that field only
  // and its siblings are still served.
  it('keeps the public names and types fixed in DESIGN.md §4', () => {
    expect(signatures('Query')).toEqual({ org: '(id: ID!)Org', viewer: 'Viewer!' });
    expect(signatures('Org')).toMatchObject({
      id: 'ID!',
      shops: '[Shop!]',
      shop: '(id: ID!)Shop',
      orders: '(first: Int, after: String, filter: OrderFilter)OrderConnection',
      order: '(id: ID!)Order',
      prescriptions: '(first: Int, after: String, filter: PrescriptionFilter)PrescriptionConnection',
      inventory: '(shopId: ID, first: Int, after: String, lowStock: Boolean)InventoryConnection',
      reports: 'Reports!',
    });
    expect(signatures('Shop')).toMatchObject({
      id: 'ID!',
      name: 'String!',
      url: 'String',
      orders: '(first: Int, after: String, filter: OrderFilter)OrderConnection',
      products: '(first: Int, after: String, search: String)ProductConnection',
      inventory: '(first: Int, after: String, lowStock: Boolean)InventoryConnection',
    });
    expect(signatures('Order')).toMatchObject({
      id: 'ID!',
      shop: 'Shop',
      customerName: 'String',
      customerEmail: 'String',
      status: 'OrderStatus!',
      statusRaw: 'String!',
      paymentStatus: 'PaymentStatus!',
      // Nullable since issue 10 class 11: a value PharmaOne sends that cannot be represented
      // fails only its own field (null + error), never its row or the whole list.
      totalAmount: 'Money',
      items: '[OrderItem!]',
      shippingAddress: 'Address',
      createdAt: 'DateTime',
      updatedAt: 'DateTime',
    });
    expect(signatures('OrderItem')).toMatchObject({
      name: 'String!',
      quantity: 'Int!',
      unitPrice: 'Money',
      lineTotal: 'Money',
      p1Id: 'ID',
      product: 'Product',
    });
    // `cents` nullable (issue 10 class 11): null + VALUE_NOT_REPRESENTABLE beyond 32 bits, `amount` stays exact.
    expect(signatures('Money')).toEqual({ amount: 'Decimal!', cents: 'Int', currency: 'String!' });
    expect(signatures('Reports')).toEqual({
      dashboard: 'DashboardStats',
      productPerformance: '(limit: Int)[ProductPerformance!]',
    });
    expect(signatures('Mutation')).toEqual({
      updateOrderStatus: '(input: UpdateOrderStatusInput!)UpdateOrderStatusPayload!',
      submitOrderRequest: '(input: SubmitOrderRequestInput!)SubmitOrderRequestPayload!',
      submitExternalOrder: '(input: SubmitExternalOrderInput!)SubmitExternalOrderPayload!',
      ingestPrescription: '(input: IngestPrescriptionInput!)IngestPrescriptionPayload!',
    });
    expect(signatures('UserError')).toEqual({ field: '[String!]', message: 'String!', code: 'UserErrorCode!' });
    expect(signatures('OrderRequest')).toEqual({
      id: 'ID!',
      status: 'String!',
      shopId: 'ID!',
      orderId: 'ID',
      order: 'Order',
      createdAt: 'DateTime',
    });
  });

  it('keeps the mutation inputs and payloads of DESIGN.md §4', () => {
    // Extended (optional, so not breaking) with the idempotencyKey every other write input has.
    expect(signatures('UpdateOrderStatusInput')).toEqual({
      orgId: 'ID!',
      orderId: 'ID!',
      status: 'OrderStatus!',
      idempotencyKey: 'String',
    });
    expect(signatures('SubmitOrderRequestInput')).toEqual({
      orgId: 'ID!',
      shopId: 'ID!',
      customer: 'CustomerInput!',
      items: '[OrderItemInput!]!',
      shippingOption: 'String',
      externalReference: 'String',
      source: 'String',
      via: 'OrderRequestChannel',
      idempotencyKey: 'String',
    });
    const via = schema.getType('SubmitOrderRequestInput');
    expect(isInputObjectType(via) ? via.getFields().via?.defaultValue : undefined).toBe('V2_JWT');
    expect(signatures('SubmitExternalOrderInput')).toEqual({
      orgId: 'ID!',
      shopId: 'ID!',
      externalReference: 'String!',
      source: 'String',
      customer: 'CustomerInput!',
      items: '[OrderItemInput!]!',
      shippingOption: 'String',
      idempotencyKey: 'String',
    });
    expect(signatures('IngestPrescriptionInput')).toEqual({
      orgId: 'ID!',
      shopId: 'ID!',
      externalReference: 'String',
      patient: 'PatientInput!',
      doctorName: 'String!',
      issuedAt: 'Date!',
      items: '[PrescriptionItemInput!]!',
      idempotencyKey: 'String',
    });
    expect(signatures('CustomerInput')).toEqual({ name: 'String!', email: 'String', address: 'AddressInput' });
    expect(signatures('AddressInput')).toEqual({ street: 'String!', city: 'String!', postalCode: 'String!', phone: 'String' });
    expect(signatures('OrderItemInput')).toEqual({ name: 'String!', quantity: 'Int!', unitPrice: 'Decimal!', p1Id: 'ID' });
    expect(signatures('PatientInput')).toEqual({ name: 'String!', email: 'String', dateOfBirth: 'Date' });
    expect(signatures('PrescriptionItemInput')).toEqual({ productName: 'String!', quantity: 'Int!', dosage: 'String' });
    expect(signatures('UpdateOrderStatusPayload')).toEqual({ order: 'Order', userErrors: '[UserError!]!' });
    expect(signatures('SubmitOrderRequestPayload')).toEqual({
      orderRequest: 'OrderRequest',
      order: 'Order',
      userErrors: '[UserError!]!',
    });
    expect(signatures('SubmitExternalOrderPayload')).toEqual({ orderRequest: 'OrderRequest', userErrors: '[UserError!]!' });
    expect(signatures('IngestPrescriptionPayload')).toEqual({ prescription: 'Prescription', userErrors: '[UserError!]!' });
    expect(enumValues('OrderRequestChannel')).toEqual(['V2_JWT', 'V1_APIKEY']);
    expect(enumValues('UserErrorCode')).toEqual(
      expect.arrayContaining(['INVALID_INPUT', 'NOT_FOUND', 'INVALID_TRANSITION', 'IDEMPOTENCY_KEY_REUSED']),
    );
  });

  it('shapes every connection the Relay way', () => {
    const connections = ownTypes().filter((type) => type.name.endsWith('Connection'));
    expect(connections.map((type) => type.name).sort()).toEqual([
      'InventoryConnection',
      'OrderConnection',
      'PrescriptionConnection',
      'ProductConnection',
    ]);
    for (const connection of connections) {
      const edge = connection.name.replace(/Connection$/, 'Edge');
      const node = (signatures(edge).node ?? '').replace(/!$/, '');
      expect(signatures(connection.name)).toEqual({
        edges: `[${edge}!]!`,
        nodes: `[${node}!]!`,
        pageInfo: 'PageInfo!',
        totalCount: 'Int!',
      });
      expect(signatures(edge)).toEqual({ cursor: 'String!', node: `${node}!` });
    }
    expect(signatures('PageInfo')).toEqual({
      hasNextPage: 'Boolean!',
      hasPreviousPage: 'Boolean!',
      startCursor: 'String',
      endCursor: 'String',
    });
  });

  it('gives every enum-typed field a String! …Raw sibling with the upstream string', () => {
    const missing: string[] = [];
    for (const type of ownTypes()) {
      if (!isObjectType(type)) continue;
      const fields = signatures(type.name);
      for (const [name, signature] of Object.entries(fields)) {
        const enumName = signature.replace(/!$/, '');
        if (['OrderStatus', 'PaymentStatus', 'PrescriptionStatus'].includes(enumName) && fields[`${name}Raw`] !== 'String!') {
          missing.push(`${type.name}.${name}Raw`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('lists the same enum values as the domain mappings', () => {
    expect(enumValues('OrderStatus')).toEqual([...ORDER_STATUSES]);
    expect(enumValues('PaymentStatus')).toEqual([...PAYMENT_STATUSES]);
    expect(enumValues('PrescriptionStatus')).toEqual([...PRESCRIPTION_STATUSES]);
  });

  it('declares each custom scalar exactly as its implementation describes it', () => {
    const scalars = ownTypes().filter(isScalarType);
    expect(scalars.map((scalar) => scalar.name).sort()).toEqual(['Date', 'DateTime', 'Decimal']);
    for (const implementation of [DateScalar, DateTimeScalar, DecimalScalar]) {
      const declared = schema.getType(implementation.name);
      expect(isScalarType(declared) && declared.description?.replace(/\s+/g, ' ')).toBe(implementation.description);
      expect(isScalarType(declared) && declared.specifiedByURL).toBe(implementation.specifiedByURL);
    }
  });

  it('has a parent mapper only for object types that exist', () => {
    // The resolver signatures' output holds the mappers (the graph's types need none).
    const output = codegenConfig.generates[GRAPHQL_RESOLVERS_OUTPUT];
    const config = output !== undefined && 'config' in output ? (output.config as { mappers: Record<string, string> }) : undefined;
    const mapped = Object.keys(config?.mappers ?? {});
    expect(mapped.length).toBeGreaterThan(0);
    expect(mapped.filter((name) => !isObjectType(schema.getType(name)))).toEqual([]);
  });
});
