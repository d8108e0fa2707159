import type { MoneyResolvers } from '../../generated/graphql-resolvers.ts';
import { MAX_INT_CENTS, centsToDecimal } from '../../domain/money.ts';
import { ErrorCode, clientError } from '../errors.ts';

export const Money: MoneyResolvers = {
  amount: (money) => centsToDecimal(money.cents),
  cents: (money) => {
    // GraphQL Int is 32-bit: say why instead of letting graphql-js fail with a generic message.
    if (Math.abs(money.cents) > MAX_INT_CENTS) {
      throw clientError(ErrorCode.INTERNAL_SERVER_ERROR, 'Amount exceeds the 32-bit range of Money.cents; read Money.amount instead.');
    }
    return money.cents;
  },
  currency: () => 'EUR',
};
