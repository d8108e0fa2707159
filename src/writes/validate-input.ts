// Mutation input rules, checked before any upstream call. Each problem becomes one UserError with
// the path of the offending input field, so a form can show it next to that field. A valid input
// comes back normalised (trimmed text, money in integer cents) for the body builders. One rule
// covers every text field of every mutation without a list of fields: textInputProblems walks the
// arguments against the schema (src/graphql/field-guard.ts applies it to each Mutation field).
import { getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType } from 'graphql';
import type { GraphQLArgument, GraphQLInputType } from 'graphql';
import type {
  AddressInput,
  CustomerInput,
  IngestPrescriptionInput,
  OrderItemInput,
  SubmitExternalOrderInput,
  SubmitOrderRequestInput,
  UserError,
} from '../generated/graphql-types.ts';
import { InvalidAmountError, decimalToCents, lineTotalCents, sumCents } from '../domain/money.ts';

/** Documented in docs/security.md ("Hostile callers"): plausible bounds for one pharmacy order. */
export const LIMITS = {
  name: 200,
  text: 500,
  reference: 100,
  items: 100,
  quantity: 10_000,
  idempotencyKey: 255,
  /** €100,000.00: no single unit a pharmacy sells costs more. */
  unitPriceCents: 10_000_000,
  /** €1,000,000.00 for a whole order, well inside Money.cents' 32-bit range. */
  totalCents: 100_000_000,
} as const;

/**
 * Characters no text input may carry: C0 controls (NUL, BEL, ESC, line breaks…), DEL and the C1
 * controls, and the bidirectional embedding, override and isolate controls (U+202A–U+202E,
 * U+2066–U+2069) that make a name or address display differently from what it is.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const FORBIDDEN_TEXT = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Whether `text` is well-formed Unicode free of the characters above. */
export function isSafeText(text: string): boolean {
  return text.isWellFormed() && !FORBIDDEN_TEXT.test(text);
}

/**
 * One UserError per text value (String, ID or any scalar that arrived as a string) anywhere in a
 * mutation's arguments that is not safe text, found by walking the coerced arguments against
 * their schema types: a new input field is covered the day it is added.
 */
export function textInputProblems(args: Record<string, unknown>, definitions: readonly GraphQLArgument[]): UserError[] {
  const problems: UserError[] = [];
  const walk = (value: unknown, type: GraphQLInputType, path: string[]): void => {
    if (value === null || value === undefined) return;
    if (isNonNullType(type)) {
      walk(value, type.ofType, path);
      return;
    }
    if (isListType(type)) {
      if (Array.isArray(value)) {
        for (const [index, item] of value.entries()) walk(item, type.ofType, [...path, String(index)]);
      }
      return;
    }
    if (isInputObjectType(type)) {
      const fields = type.getFields();
      for (const [name, fieldValue] of Object.entries(value as Record<string, unknown>)) {
        const field = fields[name];
        if (field) walk(fieldValue, field.type, [...path, name]);
      }
      return;
    }
    if (isEnumType(getNamedType(type))) return;
    if (typeof value === 'string' && !isSafeText(value)) {
      problems.push({
        field: path,
        code: 'INVALID_INPUT',
        message: 'Text must not contain control characters (such as NUL, BEL, ESC or line breaks) or bidirectional override characters.',
      });
    }
  };
  for (const definition of definitions) walk(args[definition.name], definition.type, [definition.name]);
  return problems;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// International shapes (DE 10115, AT 1010, NL 1011 AB, UK SW1A 1AA): letters, digits, one space or hyphen.
const POSTAL_CODE = /^[A-Za-z0-9]{2,5}([ -][A-Za-z0-9]{2,4})?$/;
const PHONE = /^\+?[0-9][0-9 ()/-]{4,24}$/;
const PRINTABLE = /^[\x21-\x7e]+$/;

type Path = Array<string | number>;

export interface ValidOrderItem {
  name: string;
  quantity: number;
  unitCents: number;
  p1Id: string | undefined;
}

export interface ValidOrder {
  shopId: string;
  customer: {
    name: string;
    email: string;
    address: (Required<Pick<AddressInput, 'street' | 'city' | 'postalCode'>> & { phone: string | undefined }) | undefined;
  };
  items: ValidOrderItem[];
  totalCents: number;
  shippingOption: string | undefined;
  externalReference: string | undefined;
  source: string | undefined;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; userErrors: UserError[] };

class Problems {
  readonly list: UserError[] = [];

  add(path: Path, message: string): void {
    this.list.push({ field: ['input', ...path.map(String)], message, code: 'INVALID_INPUT' });
  }

  /** Trimmed text, or undefined when absent; reports empty required text and over-long text. */
  text(value: string | null | undefined, path: Path, rule: { required: boolean; max: number; label: string }): string | undefined {
    const trimmed = value?.trim();
    if (trimmed === undefined || trimmed === '') {
      if (rule.required) this.add(path, `${rule.label} is required.`);
      return undefined;
    }
    if (trimmed.length > rule.max) this.add(path, `${rule.label} must be at most ${rule.max} characters.`);
    return trimmed;
  }

  shape(value: string | undefined, pattern: RegExp, path: Path, message: string): void {
    if (value !== undefined && !pattern.test(value)) this.add(path, message);
  }

  result<T>(value: T): Validated<T> {
    return this.list.length === 0 ? { ok: true, value } : { ok: false, userErrors: this.list };
  }
}

export function validateIdempotencyKey(key: string | null | undefined): UserError[] {
  const problems = new Problems();
  if (key !== null && key !== undefined && (key.length > LIMITS.idempotencyKey || !PRINTABLE.test(key))) {
    problems.add(['idempotencyKey'], `idempotencyKey must be 1 to ${LIMITS.idempotencyKey} printable characters without spaces.`);
  }
  return problems.list;
}

export function validateOrderInput(
  input: SubmitOrderRequestInput | SubmitExternalOrderInput,
  requireReference: boolean,
): Validated<ValidOrder> {
  const problems = new Problems();
  const shopId = problems.text(input.shopId, ['shopId'], { required: true, max: LIMITS.reference, label: 'shopId' });
  const customer = validateCustomer(problems, input.customer);
  const items = validateOrderItems(problems, input.items);
  const value: ValidOrder = {
    shopId: shopId ?? '',
    customer,
    items,
    totalCents: 0,
    shippingOption: problems.text(input.shippingOption, ['shippingOption'], {
      required: false,
      max: LIMITS.reference,
      label: 'shippingOption',
    }),
    externalReference: problems.text(input.externalReference, ['externalReference'], {
      required: requireReference,
      max: LIMITS.reference,
      label: 'externalReference',
    }),
    source: problems.text(input.source, ['source'], { required: false, max: LIMITS.reference, label: 'source' }),
  };
  for (const error of validateIdempotencyKey(input.idempotencyKey)) problems.list.push(error);
  if (problems.list.length === 0) {
    try {
      value.totalCents = sumCents(items.map((item) => lineTotalCents(item.quantity, item.unitCents)));
    } catch (error) {
      if (!(error instanceof InvalidAmountError)) throw error;
      problems.add(['items'], 'The order total is too large.');
    }
    if (value.totalCents > LIMITS.totalCents) {
      problems.add(['items'], `The order total must be at most €${(LIMITS.totalCents / 100).toLocaleString('en')}.`);
    }
  }
  return problems.result(value);
}

function validateCustomer(problems: Problems, customer: CustomerInput): ValidOrder['customer'] {
  const name = problems.text(customer.name, ['customer', 'name'], { required: true, max: LIMITS.name, label: 'Customer name' });
  // PharmaOne's order payload requires customer_email, though the graph's CustomerInput allows none.
  const email = problems.text(customer.email, ['customer', 'email'], { required: true, max: 254, label: 'Customer email' });
  problems.shape(email, EMAIL, ['customer', 'email'], 'Customer email must look like name@example.com.');
  let address: ValidOrder['customer']['address'];
  if (customer.address) {
    const at = (field: string): Path => ['customer', 'address', field];
    const street = problems.text(customer.address.street, at('street'), { required: true, max: LIMITS.name, label: 'Street' });
    const city = problems.text(customer.address.city, at('city'), { required: true, max: LIMITS.name, label: 'City' });
    const postalCode = problems.text(customer.address.postalCode, at('postalCode'), { required: true, max: 10, label: 'Postal code' });
    problems.shape(postalCode, POSTAL_CODE, at('postalCode'), 'Postal code must look like 10115 (letters, digits, one space or hyphen).');
    const phone = problems.text(customer.address.phone, at('phone'), { required: false, max: 30, label: 'Phone' });
    problems.shape(phone, PHONE, at('phone'), 'Phone must look like +49 30 1234567.');
    address = { street: street ?? '', city: city ?? '', postalCode: postalCode ?? '', phone };
  }
  return { name: name ?? '', email: email ?? '', address };
}

function validateOrderItems(problems: Problems, items: readonly OrderItemInput[]): ValidOrderItem[] {
  if (items.length === 0) problems.add(['items'], 'An order needs at least one item.');
  if (items.length > LIMITS.items) problems.add(['items'], `An order may have at most ${LIMITS.items} items.`);
  return items.map((item, index) => {
    const at = (field: string): Path => ['items', index, field];
    const name = problems.text(item.name, at('name'), { required: true, max: LIMITS.name, label: 'Item name' });
    quantityRule(problems, item.quantity, at('quantity'));
    let unitCents = 0;
    try {
      unitCents = decimalToCents(item.unitPrice);
      if (unitCents < 0) problems.add(at('unitPrice'), 'Unit price must not be negative.');
      else if (unitCents > LIMITS.unitPriceCents) {
        problems.add(at('unitPrice'), `Unit price must be at most €${(LIMITS.unitPriceCents / 100).toLocaleString('en')}.`);
      }
    } catch (error) {
      if (!(error instanceof InvalidAmountError)) throw error;
      problems.add(at('unitPrice'), 'Unit price must be an amount in euros with at most 2 decimals, e.g. "8.75".');
    }
    const p1Id = problems.text(item.p1Id, at('p1Id'), { required: false, max: LIMITS.reference, label: 'p1Id' });
    return { name: name ?? '', quantity: item.quantity, unitCents, p1Id };
  });
}

function quantityRule(problems: Problems, quantity: number, path: Path): void {
  if (!Number.isInteger(quantity) || quantity < 1) problems.add(path, 'Quantity must be at least 1.');
  else if (quantity > LIMITS.quantity) problems.add(path, `Quantity must be at most ${LIMITS.quantity}.`);
}

export interface ValidPrescription {
  shopId: string;
  externalReference: string | undefined;
  patient: { name: string; email: string | undefined; dateOfBirth: string | undefined };
  doctorName: string;
  issuedAt: string;
  items: Array<{ productName: string; quantity: number; dosage: string | undefined }>;
}

export function validatePrescriptionInput(input: IngestPrescriptionInput, today: string): Validated<ValidPrescription> {
  const problems = new Problems();
  const shopId = problems.text(input.shopId, ['shopId'], { required: true, max: LIMITS.reference, label: 'shopId' });
  const externalReference = problems.text(input.externalReference, ['externalReference'], {
    required: false,
    max: LIMITS.reference,
    label: 'externalReference',
  });
  const name = problems.text(input.patient.name, ['patient', 'name'], { required: true, max: LIMITS.name, label: 'Patient name' });
  const email = problems.text(input.patient.email, ['patient', 'email'], { required: false, max: 254, label: 'Patient email' });
  problems.shape(email, EMAIL, ['patient', 'email'], 'Patient email must look like name@example.com.');
  const dateOfBirth = input.patient.dateOfBirth ?? undefined;
  // Date strings are YYYY-MM-DD (the Date scalar checked them), so they compare as text.
  if (dateOfBirth !== undefined && (dateOfBirth > today || dateOfBirth < '1900-01-01')) {
    problems.add(['patient', 'dateOfBirth'], 'Date of birth must be between 1900-01-01 and today.');
  }
  const doctorName = problems.text(input.doctorName, ['doctorName'], { required: true, max: LIMITS.name, label: 'Doctor name' });
  if (input.issuedAt > today) problems.add(['issuedAt'], 'issuedAt must not be in the future.');
  if (input.items.length === 0) problems.add(['items'], 'A prescription needs at least one item.');
  if (input.items.length > LIMITS.items) problems.add(['items'], `A prescription may have at most ${LIMITS.items} items.`);
  const items = input.items.map((item, index) => {
    const productName = problems.text(item.productName, ['items', index, 'productName'], {
      required: true,
      max: LIMITS.name,
      label: 'Product name',
    });
    quantityRule(problems, item.quantity, ['items', index, 'quantity']);
    const dosage = problems.text(item.dosage, ['items', index, 'dosage'], { required: false, max: LIMITS.name, label: 'Dosage' });
    return { productName: productName ?? '', quantity: item.quantity, dosage };
  });
  for (const error of validateIdempotencyKey(input.idempotencyKey)) problems.list.push(error);
  return problems.result({
    shopId: shopId ?? '',
    externalReference,
    patient: { name: name ?? '', email, dateOfBirth },
    doctorName: doctorName ?? '',
    issuedAt: input.issuedAt,
    items,
  });
}
