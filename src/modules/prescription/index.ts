// The prescription module's resolver map: one file per GraphQL type, merged with the other modules' by
// src/schema/resolvers.ts.
import type { Resolvers } from '../resolver-types.ts';
import { connectionResolvers } from '../../graphql/resolvers/connection.ts';
import { Mutation } from './mutations.ts';
import { Prescription } from './Prescription.ts';
import { PrescriptionItem } from './PrescriptionItem.ts';

export const prescriptionResolvers: Resolvers = { Mutation, Prescription, PrescriptionItem, PrescriptionConnection: connectionResolvers };
