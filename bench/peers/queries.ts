// The operations the throughput scenarios send, shared by the bench and the peers that answer them.
export const APIKEY = 'sandbox-org1-key';
export const ORG = 'org1';

export const TYPENAME_QUERY = '{ __typename }';

/** List page, summary fields only: one GET /orders. */
export const SUMMARY_QUERY = `{ org(id: "${ORG}") { orders(first: 10) { nodes { id status paymentStatus customerName totalAmount { amount currency } createdAt } } } }`;
export const SUMMARY_FIRST = 10;

/** 45 orders with every detail field: GET /orders, then GET /orders/{id} for each. */
export const DETAIL_QUERY = `{ org(id: "${ORG}") { orders(first: 45) { nodes { id shopId status statusRaw paymentStatus paymentStatusRaw customerName customerEmail totalAmount { amount cents currency } createdAt updatedAt items { name quantity p1Id unitPrice { amount cents currency } lineTotal { amount cents currency } } shippingAddress { street city postalCode phone } } } } }`;
export const DETAIL_FIRST = 45;

/** The Apollo + RESTDataSource peer's own tiny schema, same fields as SUMMARY_QUERY. */
export const PEER_SUMMARY_QUERY = `{ orders(orgId: "${ORG}", first: 10) { id status paymentStatus customerName totalAmount { amount currency } createdAt } }`;
