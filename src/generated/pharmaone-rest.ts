// generated from schema/pharmaone.openapi.yaml by npm run codegen — do not edit

export interface paths {
    "/api/v2/public/orgs/{org}/auth/token": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange an integration API key for a JWT (§1)
         * @description Trades the integration API key (header `apikey`) for a JWT valid `expires_in` seconds (3600 on dev).
         *     Claims: see `TokenClaims`. The key belongs to one org; the path's org must be that org.
         */
        post: operations["exchangeToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/public/orgs/{org}/shops": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        /**
         * List the org's shops (§2)
         * @description All shops of the org in one unpaginated list.
         */
        get: operations["listShops"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/public/orgs/{org}/orders": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        /**
         * List orders, newest first (§3)
         * @description Order summaries across the org's shops, newest `created_at` first, offset-paginated. Filters combine
         *     with AND. The summary lacks `customer_email`, `items` and `shipping_address`; read §4 for those.
         */
        get: operations["listOrders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/public/orgs/{org}/orders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
                /** @description The order id (the org id's grammar). */
                id: components["parameters"]["OrderId"];
            };
            cookie?: never;
        };
        /**
         * Get one order with items and address (§4)
         * @description The order object itself, not wrapped in `data` (seed §4). There is no batch variant.
         */
        get: operations["getOrder"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/public/orgs/{org}/orders/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
                /** @description The order id (the org id's grammar). */
                id: components["parameters"]["OrderId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Move an order to another status (§5)
         * @description Allowed transitions: pending → awaiting_packing → packed → shipped | ready_for_pickup → completed, and
         *     any non-final state → cancelled (completed and cancelled are final). Setting the current status again
         *     is a disallowed transition (409) unless replayed under the same `Idempotency-Key`.
         */
        patch: operations["updateOrderStatus"];
        trace?: never;
    };
    "/api/v2/public/orgs/{org}/order-requests": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit an order request (v2 + JWT) (§6)
         * @description Creates an order in the given shop from an external request. The order is created synchronously:
         *     `order_id` names it (status `pending`, `payment_status` `pending`). `total_amount`, when sent, is taken
         *     as given; the gateway always sends the exact sum of `price × quantity`.
         */
        post: operations["createOrderRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/public/orgs/{org}/prescriptions": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        /**
         * List prescriptions, newest first (§9)
         * @description Prescriptions across the org's shops, newest `created_at` first, offset-paginated.
         */
        get: operations["listPrescriptions"];
        put?: never;
        /**
         * Ingest a prescription (Title Case keys) (§10)
         * @description Creates a prescription in status `pending` with `order_id` null. The body uses Title Case keys (seed);
         *     the key set is ours. Missing or mistyped keys give 422 with the offending keys in `fields`.
         */
        post: operations["ingestPrescription"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/public/orgs/{org}/inventory": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        /**
         * List stock levels (§11)
         * @description Stock per (shop, product), ordered by shop then `p1_id`, offset-paginated. `low_stock=true` keeps only
         *     rows whose available stock (`quantity - reserved`) is at or below `reorder_level`.
         */
        get: operations["listInventory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/public/orgs/{org}/products": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        /**
         * List one shop's catalog (§12)
         * @description The catalog of one shop (`shop_id` is required, seed §12), ordered by `name`, offset-paginated.
         *     `search` matches `name` case-insensitively as a substring.
         */
        get: operations["listProducts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/public/orgs/{org}/reports/dashboard": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        /**
         * Dashboard statistics (§13)
         * @description Org-wide prescription counts, per-shop order figures and monthly trends (seed §13).
         */
        get: operations["getDashboardStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/public/orgs/{org}/reports/product-performance": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        /**
         * Best-selling products (§14)
         * @description Products across the org by `revenue`, highest first, at most `limit` rows (no pagination).
         */
        get: operations["getProductPerformance"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/orgs/{org}/order-requests": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit an order request (v1 + API key, via Kong) (§7)
         * @description Same body and result as §6, authenticated by the integration API key, which Kong checks before the
         *     request reaches Manager (no JWT). Kong's own 401 bodies are `KongError`. `shop_id` is required (seed).
         */
        post: operations["createOrderRequestV1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/external-order": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit an external (telemedicine) order through a shop (§8)
         * @description Sent to the shop's host, not to Manager, with the integration API key (no JWT). The shop injects its own
         *     `shop_id` (a `shop_id` in the body is ignored) and forwards the request to Manager §7, so the result and
         *     the error bodies are §7's.
         */
        post: operations["submitExternalOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Seed §1. */
        TokenResponse: {
            /**
             * @description A JWT (HS256); its claims are `TokenClaims`.
             * @example eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJvcmdfaWQiO…
             */
            access_token: string;
            /**
             * @description Lifetime in seconds (3600 on dev).
             * @example 3600
             */
            expires_in: number;
            /** @example Bearer */
            token_type: string;
        };
        /**
         * @description The JWT's payload. Seed §1 shows `iss`, `sub` and `org_id` and names `scopes`; DESIGN.md §1 adds `iat`,
         *     `exp` and HS256. Not a response body: documentation for the token broker and the sandbox.
         */
        TokenClaims: {
            iss: string;
            sub: string;
            /** @example org1 */
            org_id: string;
            /** @description The scopes the key grants. The seed names the claim; its values are assumed (the "Scopes" page is missing). */
            scopes: string[];
            /** @description Issued at, seconds since the epoch. */
            iat: number;
            /** @description Expiry, seconds since the epoch (`iat + expires_in`). */
            exp: number;
        };
        Shop: {
            /** @example shop1 */
            id: string;
            /** @example Demo Shop DEV */
            name: string;
            /**
             * @description The shop's public host, the `{shopUrl}` of §8; null when the shop has none.
             * @example https://shop1.pharmaone.dev.secpaid.com
             */
            url: string | null;
            active: boolean;
        };
        ShopList: {
            data: components["schemas"]["Shop"][];
        };
        /** @description Seed §3. `total` counts every row matching the filters, not just this page. */
        Pagination: {
            /** @example 2 */
            limit: number;
            /** @example 0 */
            offset: number;
            /** @example 731 */
            total: number;
        };
        /**
         * @description A known order status, for requests and filters (closed).
         * @enum {string}
         */
        OrderStatusValue: "pending" | "awaiting_packing" | "packed" | "shipped" | "ready_for_pickup" | "completed" | "cancelled";
        /** @description Seed §3. */
        OrderSummary: {
            /** @example ORD_20260614_8v039dhnrv */
            id: string;
            /** @example shop1 */
            shop_id: string;
            /** @example Max Mustermann */
            customer_name: string;
            /**
             * @description Open: the API may send values not listed. Known lifecycle (assumed): pending → awaiting_packing →
             *     packed → shipped | ready_for_pickup → completed; any non-final state → cancelled.
             * @example awaiting_packing
             */
            status: string;
            /**
             * @description Open; the API may send values not listed.
             * @example pending
             */
            payment_status: string;
            /**
             * @description Euros.
             * @example 98.25
             */
            total_amount: number;
            /**
             * Format: date-time
             * @example 2026-06-14T10:05:55.806759Z
             */
            created_at: string;
            /**
             * Format: date-time
             * @example 2026-06-14T11:43:41.851771Z
             */
            updated_at: string;
        };
        /** @description Seed §3. */
        OrderList: {
            data: components["schemas"]["OrderSummary"][];
            pagination: components["schemas"]["Pagination"];
        };
        /** @description Seed §4. The summary fields plus `customer_email`, `items` and `shipping_address`. */
        Order: components["schemas"]["OrderSummary"] & {
            /** @example max@example.com */
            customer_email: string;
            items: components["schemas"]["OrderItem"][];
            /** @description Null for orders created without an address (nullability assumed; the seed shows an object). */
            shipping_address: components["schemas"]["ShippingAddress"] | null;
        };
        /** @description Seed §4. */
        OrderItem: {
            /** @example 24/1 IUVO KC OJ Zainbow */
            name: string;
            /** @example 11 */
            quantity: number;
            /**
             * @description Unit price in euros.
             * @example 8.75
             */
            price: number;
            /**
             * @description The catalog product id; `""` when the line is not linked to a product (seed).
             * @example
             * @example P1-000123
             */
            p1_id: string;
        };
        /** @description Seed §4. */
        ShippingAddress: {
            /** @example Musterstr. 1 */
            street: string;
            /** @example Berlin */
            city: string;
            /** @example 10115 */
            postal_code: string;
            /**
             * @description Null when none was given (nullability assumed; the seed shows a string).
             * @example +49123456789
             */
            phone: string | null;
        };
        /** @description The §5 request body. */
        OrderStatusUpdate: {
            status: components["schemas"]["OrderStatusValue"];
        };
        /** @description Seed §8. */
        OrderPayloadItem: {
            /** @example Cannabis flos 27/1 */
            name: string;
            /** @example 5 */
            quantity: number;
            /**
             * @description Unit price in euros.
             * @example 5.1
             */
            price: number;
            /** @description Links the line to a catalog product. */
            p1_id?: string;
        };
        /** @description Seed §8 (which shows every key); which keys are optional is assumed from DESIGN.md §1. */
        OrderPayload: {
            /** @example Max Mustermann */
            customer_name: string;
            /** @example max@example.com */
            customer_email: string;
            /** @example Musterstr. 1 */
            address_street?: string;
            /** @example Berlin */
            address_city?: string;
            /** @example 10115 */
            address_postal_code?: string;
            /** @example +49123456789 */
            address_phone?: string;
            /**
             * @description Free text as the shop names it, e.g. `Abholung` (pickup).
             * @example Abholung
             */
            shipping_option?: string;
            /**
             * @description Euros. The gateway always sends the exact sum of `price × quantity`.
             * @example 25.5
             */
            total_amount?: number;
            items: components["schemas"]["OrderPayloadItem"][];
        };
        /** @description The §6/§7 body. `shop_id` is required (seed §7); the rest mirrors §8. */
        OrderRequestBody: {
            /** @example shop1 */
            shop_id: string;
            /** @example TM-RX-2026-0042 */
            external_reference?: string;
            /** @example external-telemedicine */
            source?: string;
            payload: components["schemas"]["OrderPayload"];
        };
        /**
         * @description Seed §8. The seed's smoke test sends `payload` alone, so `external_reference` and `source` are optional.
         *     There is no `shop_id`: the shop injects its own.
         */
        ExternalOrderBody: {
            /** @example TM-RX-2026-0042 */
            external_reference?: string;
            /** @example external-telemedicine */
            source?: string;
            payload: components["schemas"]["OrderPayload"];
        };
        /** @description The result of §6, §7 and §8. */
        OrderRequest: {
            /** @example REQ_20260614_q2w3e4r5t6 */
            id: string;
            /**
             * @description Open; `received` is the only value we know.
             * @example received
             */
            status: string;
            /**
             * @description The created order; null if the request has not produced one yet.
             * @example ORD_20260614_8v039dhnrv
             */
            order_id: string | null;
            /** @example shop1 */
            shop_id: string;
            /** Format: date-time */
            created_at: string;
        };
        Prescription: {
            /** @example RX_20260614_a1b2c3d4e5 */
            id: string;
            /** @example shop1 */
            shop_id: string;
            /**
             * @description Open; the API may send values not listed.
             * @example pending
             */
            status: string;
            /** @example Max Mustermann */
            patient_name: string;
            /** @example max@example.com */
            patient_email: string | null;
            /** @example Dr. Erika Musterfrau */
            doctor_name: string;
            /** @example TM-RX-2026-0042 */
            external_reference: string | null;
            /**
             * @description The order filling this prescription; null until there is one.
             * @example ORD_20260614_8v039dhnrv
             */
            order_id: string | null;
            items: components["schemas"]["PrescriptionItem"][];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        PrescriptionItem: {
            /** @example Cannabis flos 27/1 */
            name: string;
            /** @example 5 */
            quantity: number;
            /** @example 0.5 g twice daily */
            dosage: string | null;
        };
        PrescriptionList: {
            data: components["schemas"]["Prescription"][];
            pagination: components["schemas"]["Pagination"];
        };
        /** @description The §10 body. Title Case keys, spelled exactly like this (seed); the key set is assumed. */
        PrescriptionIngest: {
            /** @example shop1 */
            "Shop ID": string;
            /** @example TM-RX-2026-0042 */
            "External Reference"?: string;
            /** @example Max Mustermann */
            "Patient Name": string;
            /** @example max@example.com */
            "Patient Email"?: string;
            /**
             * Format: date
             * @example 1980-01-31
             */
            "Patient Date Of Birth"?: string;
            /** @example Dr. Erika Musterfrau */
            "Doctor Name": string;
            /**
             * Format: date
             * @example 2026-06-14
             */
            "Issued At": string;
            Items: components["schemas"]["PrescriptionIngestItem"][];
        };
        PrescriptionIngestItem: {
            /** @example Cannabis flos 27/1 */
            "Product Name": string;
            /** @example 5 */
            Quantity: number;
            /** @example 0.5 g twice daily */
            Dosage?: string;
        };
        InventoryItem: {
            /** @example P1-000123 */
            p1_id: string;
            /** @example shop1 */
            shop_id: string;
            /** @example Cannabis flos 27/1 */
            name: string;
            /**
             * @description Units on hand, including reserved ones.
             * @example 120
             */
            quantity: number;
            /**
             * @description Units held for open orders.
             * @example 15
             */
            reserved: number;
            /** @example g */
            unit: string;
            /** @example 50 */
            reorder_level: number;
            /** Format: date-time */
            updated_at: string;
        };
        InventoryList: {
            data: components["schemas"]["InventoryItem"][];
            pagination: components["schemas"]["Pagination"];
        };
        Product: {
            /** @example PRD_shop1_0001 */
            id: string;
            /**
             * @description The id order items refer to (`OrderItem.p1_id`).
             * @example P1-000123
             */
            p1_id: string;
            /** @example shop1 */
            shop_id: string;
            /** @example Cannabis flos 27/1 */
            name: string;
            /** @example flowers */
            category: string | null;
            /**
             * @description Unit price in euros.
             * @example 5.1
             */
            price: number;
            /** @example g */
            unit: string;
            active: boolean;
        };
        ProductList: {
            data: components["schemas"]["Product"][];
            pagination: components["schemas"]["Pagination"];
        };
        /** @description Seed §13, the object inside the response's `data`. */
        DashboardStats: {
            prescriptions: components["schemas"]["DashboardPrescriptionCounts"];
            shop_performance: components["schemas"]["ShopPerformance"][];
            monthly_trends: components["schemas"]["MonthlyTrend"][];
        };
        /**
         * @description Seed §13. The counts overlap: `total = pending + approved + declined`, where `approved` counts every
         *     prescription that was approved (still approved or since completed) and `completed` is the subset of
         *     those already completed. Verified on the seed's numbers: 174 + 770 + 17 = 961, 730 ≤ 770.
         */
        DashboardPrescriptionCounts: {
            /** @example 961 */
            total: number;
            /** @example 174 */
            pending: number;
            /**
             * @description Approved or completed.
             * @example 770
             */
            approved: number;
            /**
             * @description Completed; a subset of `approved`.
             * @example 730
             */
            completed: number;
            /** @example 17 */
            declined: number;
        };
        /** @description Seed §13. */
        ShopPerformance: {
            /** @example shop1 */
            shop_id: string;
            /** @example Demo Shop DEV */
            name: string;
            /** @example 696 */
            order_count: number;
            /**
             * @description Euros.
             * @example 79782936.62
             */
            total_revenue: number;
            /** @example 32 */
            unique_customers: number;
        };
        /** @description Seed §13. */
        MonthlyTrend: {
            /**
             * @description Calendar month, `YYYY-MM`.
             * @example 2026-06
             */
            month: string;
            /** @example 34 */
            order_count: number;
            /**
             * @description Euros.
             * @example 1207.15
             */
            revenue: number;
        };
        ProductPerformance: {
            /** @example P1-000123 */
            p1_id: string;
            /** @example Cannabis flos 27/1 */
            name: string;
            /** @example 420 */
            units_sold: number;
            /** @example 96 */
            order_count: number;
            /**
             * @description Euros.
             * @example 2142
             */
            revenue: number;
        };
        ProductPerformanceList: {
            data: components["schemas"]["ProductPerformance"][];
        };
        /** @description Manager's error body. Branch on the HTTP status; `error` is informative. */
        Error: {
            /** @example not_found */
            error: string;
            /** @example Order not found */
            message: string;
        };
        /** @description The 422 body. */
        ValidationError: components["schemas"]["Error"] & {
            /**
             * @description The missing or invalid keys, as dotted paths in the body's own spelling.
             * @example [
             *       "Patient Name",
             *       "Items[0].Quantity"
             *     ]
             */
            fields: string[];
        };
        /** @description 403 for a token or key without the operation's scope. */
        ScopeError: {
            /** @example insufficient_scope */
            error: string;
            /** @example reports:read */
            required_scope: string;
            message?: string;
        };
        /** @description The body Kong itself sends (v1 routes and the shop proxy); it has no `error` code. */
        KongError: {
            message: string;
        };
    };
    responses: {
        /** @description The request was accepted and its order created. */
        OrderRequestCreated: {
            headers: {
                "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OrderRequest"];
            };
        };
        /** @description The body is not a JSON object, or `shop_id` is missing (`bad_request`). */
        BadOrderRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A query parameter is malformed, out of range or not a known value (`bad_request`). */
        BadQuery: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description Required keys are missing or have the wrong type (`validation_failed`); `fields` lists them as dotted
         *     paths in the body's own spelling (`payload.items[0].quantity`, `Items[0].Product Name`). A shop id that
         *     names no shop of the org is reported the same way (`shop_id`, `Shop ID`). Also the answer when an
         *     `Idempotency-Key` is reused with a different body (`idempotency_key_reused`, `fields: [Idempotency-Key]`).
         */
        ValidationFailed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ValidationError"];
            };
        };
        /** @description No such object in this org (`not_found`). */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The bearer token is missing, malformed, expired or not signed by Manager (`unauthorized`). */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The `apikey` header is missing or names no active key (`unauthorized`). */
        InvalidApiKey: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Kong rejected the API key; its body is `{message}` only. */
        KongUnauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["KongError"];
            };
        };
        /**
         * @description The credential lacks the operation's scope (`insufficient_scope`, `ScopeError`), or the token belongs to
         *     another org than the path's (`forbidden`, `Error`).
         */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ScopeError"] | components["schemas"]["Error"];
            };
        };
        /** @description Rate limited (`rate_limited`). */
        TooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Rate limited by Kong (`{message}`) or by Manager (`Error`). */
        GatewayTooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] | components["schemas"]["KongError"];
            };
        };
        /**
         * @description Manager failed or is unavailable (`internal_error`, `service_unavailable`). Proxies in front of the API
         *     may send non-JSON bodies here; clients must not rely on the body.
         */
        ServerError: {
            headers: {
                /** @description Seconds to wait before retrying, sometimes sent with 503. */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The path does not support the method (`method_not_allowed`). Applies to every path. */
        MethodNotAllowed: {
            headers: {
                Allow: components["headers"]["Allow"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /**
         * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
         *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
         *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
         */
        Org: string;
        /** @description The order id (the org id's grammar). */
        OrderId: string;
        /** @description Page size. Values outside 1–100 are rejected with 400, not clamped. */
        Limit: number;
        /** @description Rows to skip. Negative values are rejected with 400. */
        Offset: number;
        /** @description Only rows of this shop (the org id's grammar). An unknown shop gives an empty page, not 404. */
        ShopIdFilter: string;
        /**
         * @description Makes the write safe to retry: the same key with the same body replays the first result and creates
         *     nothing new; the same key with a different body is 422 `idempotency_key_reused`.
         */
        IdempotencyKey: string;
    };
    requestBodies: {
        /** @description The order request body shared by §6 and §7 ("Same JSON body as §6", seed §7). */
        OrderRequest: {
            content: {
                "application/json": components["schemas"]["OrderRequestBody"];
            };
        };
    };
    headers: {
        /** @description Seconds to wait before retrying. */
        RetryAfter: number;
        /** @description `true` when the response replays an earlier request with the same `Idempotency-Key`. */
        IdempotentReplayed: "true";
        /** @description The methods the path supports. */
        Allow: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    exchangeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The JWT (seed §1). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            401: components["responses"]["InvalidApiKey"];
            /** @description The key is valid but not for the path's org. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    listShops: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The org's shops. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ShopList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    listOrders: {
        parameters: {
            query?: {
                /** @description Page size. Values outside 1–100 are rejected with 400, not clamped. */
                limit?: components["parameters"]["Limit"];
                /** @description Rows to skip. Negative values are rejected with 400. */
                offset?: components["parameters"]["Offset"];
                /** @description Only orders in this status. */
                status?: components["schemas"]["OrderStatusValue"];
                /** @description Only orders with this payment status. */
                payment_status?: "pending" | "paid" | "failed" | "refunded";
                /** @description Only rows of this shop (the org id's grammar). An unknown shop gives an empty page, not 404. */
                shop_id?: components["parameters"]["ShopIdFilter"];
            };
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of order summaries (seed §3). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderList"];
                };
            };
            400: components["responses"]["BadQuery"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    getOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
                /** @description The order id (the org id's grammar). */
                id: components["parameters"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The order (seed §4). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    updateOrderStatus: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the write safe to retry: the same key with the same body replays the first result and creates
                 *     nothing new; the same key with a different body is 422 `idempotency_key_reused`.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
                /** @description The order id (the org id's grammar). */
                id: components["parameters"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrderStatusUpdate"];
            };
        };
        responses: {
            /** @description The updated order, as §4. */
            200: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            /** @description The body is not JSON, or `status` is missing or not a known status (`bad_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The transition is not allowed from the order's current status (`invalid_transition`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description The `Idempotency-Key` was already used with a different body (`idempotency_key_reused`,
             *     `fields: [Idempotency-Key]`).
             */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationError"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    createOrderRequest: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the write safe to retry: the same key with the same body replays the first result and creates
                 *     nothing new; the same key with a different body is 422 `idempotency_key_reused`.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["OrderRequest"];
        responses: {
            201: components["responses"]["OrderRequestCreated"];
            400: components["responses"]["BadOrderRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    listPrescriptions: {
        parameters: {
            query?: {
                /** @description Page size. Values outside 1–100 are rejected with 400, not clamped. */
                limit?: components["parameters"]["Limit"];
                /** @description Rows to skip. Negative values are rejected with 400. */
                offset?: components["parameters"]["Offset"];
                /** @description Only prescriptions in this status. */
                status?: "pending" | "approved" | "completed" | "declined";
                /** @description Only rows of this shop (the org id's grammar). An unknown shop gives an empty page, not 404. */
                shop_id?: components["parameters"]["ShopIdFilter"];
            };
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of prescriptions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PrescriptionList"];
                };
            };
            400: components["responses"]["BadQuery"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    ingestPrescription: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the write safe to retry: the same key with the same body replays the first result and creates
                 *     nothing new; the same key with a different body is 422 `idempotency_key_reused`.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PrescriptionIngest"];
            };
        };
        responses: {
            /** @description The created prescription, as in §9. */
            201: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Prescription"];
                };
            };
            /** @description The body is not a JSON object (`bad_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["TooManyRequests"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    listInventory: {
        parameters: {
            query?: {
                /** @description Only rows of this shop (the org id's grammar). An unknown shop gives an empty page, not 404. */
                shop_id?: components["parameters"]["ShopIdFilter"];
                /** @description Page size. Values outside 1–100 are rejected with 400, not clamped. */
                limit?: components["parameters"]["Limit"];
                /** @description Rows to skip. Negative values are rejected with 400. */
                offset?: components["parameters"]["Offset"];
                /** @description Only rows whose available stock (quantity − reserved) is at or below their reorder level. */
                low_stock?: boolean;
            };
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of stock rows. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InventoryList"];
                };
            };
            400: components["responses"]["BadQuery"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    listProducts: {
        parameters: {
            query: {
                /** @description The shop whose catalog to list (required, seed §12; the org id's grammar). */
                shop_id: string;
                /** @description Page size. Values outside 1–100 are rejected with 400, not clamped. */
                limit?: components["parameters"]["Limit"];
                /** @description Rows to skip. Negative values are rejected with 400. */
                offset?: components["parameters"]["Offset"];
                /** @description Case-insensitive substring of the product name. */
                search?: string;
            };
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the shop's products. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductList"];
                };
            };
            /** @description `shop_id` is missing, or `limit`/`offset` is out of range (`bad_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No shop `shop_id` in this org (`not_found`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    getDashboardStats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The dashboard, wrapped in `data` (seed §13). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DashboardStats"];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    getProductPerformance: {
        parameters: {
            query?: {
                /** @description Page size. Values outside 1–100 are rejected with 400, not clamped. */
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The top products. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductPerformanceList"];
                };
            };
            400: components["responses"]["BadQuery"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    createOrderRequestV1: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the write safe to retry: the same key with the same body replays the first result and creates
                 *     nothing new; the same key with a different body is 422 `idempotency_key_reused`.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description The org id (seed `org1`). Ids follow PharmaOne's id grammar (assumed from every id the seed and the
                 *     sandbox show: `org1`, `shop1`, `ORD_20260614_8v039dhnrv`, `RX_…`, `REQ_…`): an ASCII letter or digit,
                 *     then up to 63 letters, digits, `_` or `-`. The gateway refuses anything else before building a URL.
                 */
                org: components["parameters"]["Org"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["OrderRequest"];
        responses: {
            201: components["responses"]["OrderRequestCreated"];
            400: components["responses"]["BadOrderRequest"];
            401: components["responses"]["KongUnauthorized"];
            403: components["responses"]["Forbidden"];
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["GatewayTooManyRequests"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    submitExternalOrder: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the write safe to retry: the same key with the same body replays the first result and creates
                 *     nothing new; the same key with a different body is 422 `idempotency_key_reused`.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExternalOrderBody"];
            };
        };
        responses: {
            201: components["responses"]["OrderRequestCreated"];
            /** @description The body is not a JSON object (`bad_request`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No or an invalid API key; Kong's body, relayed by the shop. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KongError"] | components["schemas"]["Error"];
                };
            };
            403: components["responses"]["Forbidden"];
            /** @description No shop with this id behind the proxy (`not_found`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            422: components["responses"]["ValidationFailed"];
            429: components["responses"]["GatewayTooManyRequests"];
            "5XX": components["responses"]["ServerError"];
        };
    };
}
