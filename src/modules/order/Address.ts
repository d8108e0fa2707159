import type { AddressResolvers } from '../resolver-types.ts';

export const Address: AddressResolvers = {
  street: (address) => address.street,
  city: (address) => address.city,
  postalCode: (address) => address.postal_code,
  phone: (address) => address.phone ?? null,
};
