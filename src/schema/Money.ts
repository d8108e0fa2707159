import type { MoneyResolvers } from '../modules/resolver-types.ts';
import { MAX_INT_CENTS, centsToDecimal } from '../domain/money.ts';
import { GraphQLError } from 'graphql';

export const Money: MoneyResolvers = {
  amount: (money) => centsToDecimal(money.cents),
  cents: (money) => {
    // GraphQL Int is 32-bit: only this field fails (it is nullable), `amount` stays exact.
    if (Math.abs(money.cents) > MAX_INT_CENTS) {
      throw new GraphQLError('The amount exceeds the 32-bit range of Money.cents; read Money.amount instead.', {
        extensions: { code: 'VALUE_NOT_REPRESENTABLE' },
      });
    }
    return money.cents;
  },
  currency: () => 'EUR',
};
