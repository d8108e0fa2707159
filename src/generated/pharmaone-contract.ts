// generated from schema/pharmaone.openapi.yaml by npm run codegen — do not edit

/** schema/pharmaone.openapi.yaml as data, without prose. */
export const pharmaoneContract: unknown = {
 "openapi": "3.1.0",
 "paths": {
  "/api/v2/public/orgs/{org}/auth/token": {
   "parameters": [
    {
     "$ref": "#/components/parameters/Org"
    }
   ],
   "post": {
    "operationId": "exchangeToken",
    "security": [
     {
      "apikey": []
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TokenResponse"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/InvalidApiKey"
     },
     "403": {
      "x-assumed": true,
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "$ref": "#/components/responses/TooManyRequests"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v2/public/orgs/{org}/shops": {
   "parameters": [
    {
     "$ref": "#/components/parameters/Org"
    }
   ],
   "get": {
    "operationId": "listShops",
    "security": [
     {
      "bearerJwt": [
       "shops:read"
      ]
     }
    ],
    "responses": {
     "200": {
      "x-assumed": true,
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ShopList"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "429": {
      "$ref": "#/components/responses/TooManyRequests"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v2/public/orgs/{org}/orders": {
   "x-assumed": true,
   "parameters": [
    {
     "$ref": "#/components/parameters/Org"
    }
   ],
   "get": {
    "operationId": "listOrders",
    "security": [
     {
      "bearerJwt": [
       "orders:read"
      ]
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/Limit"
     },
     {
      "$ref": "#/components/parameters/Offset"
     },
     {
      "name": "status",
      "in": "query",
      "x-assumed": true,
      "schema": {
       "$ref": "#/components/schemas/OrderStatusValue"
      }
     },
     {
      "name": "payment_status",
      "in": "query",
      "x-assumed": true,
      "schema": {
       "type": "string",
       "enum": [
        "pending",
        "paid",
        "failed",
        "refunded"
       ]
      }
     },
     {
      "$ref": "#/components/parameters/ShopIdFilter"
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OrderList"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadQuery"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "429": {
      "$ref": "#/components/responses/TooManyRequests"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v2/public/orgs/{org}/orders/{id}": {
   "x-assumed": true,
   "parameters": [
    {
     "$ref": "#/components/parameters/Org"
    },
    {
     "$ref": "#/components/parameters/OrderId"
    }
   ],
   "get": {
    "operationId": "getOrder",
    "security": [
     {
      "bearerJwt": [
       "orders:read"
      ]
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "429": {
      "$ref": "#/components/responses/TooManyRequests"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v2/public/orgs/{org}/orders/{id}/status": {
   "x-assumed": true,
   "parameters": [
    {
     "$ref": "#/components/parameters/Org"
    },
    {
     "$ref": "#/components/parameters/OrderId"
    }
   ],
   "patch": {
    "operationId": "updateOrderStatus",
    "x-assumed": true,
    "security": [
     {
      "bearerJwt": [
       "orders:write"
      ]
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": true,
     "x-assumed": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/OrderStatusUpdate"
       }
      }
     }
    },
    "responses": {
     "200": {
      "x-assumed": true,
      "headers": {
       "Idempotent-Replayed": {
        "$ref": "#/components/headers/IdempotentReplayed"
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Order"
        }
       }
      }
     },
     "400": {
      "x-assumed": true,
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "404": {
      "$ref": "#/components/responses/NotFound"
     },
     "409": {
      "x-assumed": true,
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "422": {
      "x-assumed": true,
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ValidationError"
        }
       }
      }
     },
     "429": {
      "$ref": "#/components/responses/TooManyRequests"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v2/public/orgs/{org}/order-requests": {
   "x-assumed": true,
   "parameters": [
    {
     "$ref": "#/components/parameters/Org"
    }
   ],
   "post": {
    "operationId": "createOrderRequest",
    "x-assumed": true,
    "security": [
     {
      "bearerJwt": [
       "orders:write"
      ]
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "$ref": "#/components/requestBodies/OrderRequest"
    },
    "responses": {
     "201": {
      "$ref": "#/components/responses/OrderRequestCreated"
     },
     "400": {
      "$ref": "#/components/responses/BadOrderRequest"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "429": {
      "$ref": "#/components/responses/TooManyRequests"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v2/public/orgs/{org}/prescriptions": {
   "x-assumed": true,
   "parameters": [
    {
     "$ref": "#/components/parameters/Org"
    }
   ],
   "get": {
    "operationId": "listPrescriptions",
    "x-assumed": true,
    "security": [
     {
      "bearerJwt": [
       "prescriptions:read"
      ]
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/Limit"
     },
     {
      "$ref": "#/components/parameters/Offset"
     },
     {
      "name": "status",
      "in": "query",
      "x-assumed": true,
      "schema": {
       "type": "string",
       "enum": [
        "pending",
        "approved",
        "completed",
        "declined"
       ]
      }
     },
     {
      "$ref": "#/components/parameters/ShopIdFilter"
     }
    ],
    "responses": {
     "200": {
      "x-assumed": true,
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/PrescriptionList"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadQuery"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "429": {
      "$ref": "#/components/responses/TooManyRequests"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   },
   "post": {
    "operationId": "ingestPrescription",
    "x-assumed": true,
    "security": [
     {
      "bearerJwt": [
       "prescriptions:write"
      ]
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": true,
     "x-assumed": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/PrescriptionIngest"
       }
      }
     }
    },
    "responses": {
     "201": {
      "x-assumed": true,
      "headers": {
       "Idempotent-Replayed": {
        "$ref": "#/components/headers/IdempotentReplayed"
       }
      },
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Prescription"
        }
       }
      }
     },
     "400": {
      "x-assumed": true,
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "429": {
      "$ref": "#/components/responses/TooManyRequests"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v2/public/orgs/{org}/inventory": {
   "x-assumed": true,
   "parameters": [
    {
     "$ref": "#/components/parameters/Org"
    }
   ],
   "get": {
    "operationId": "listInventory",
    "x-assumed": true,
    "security": [
     {
      "bearerJwt": [
       "inventory:read"
      ]
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/ShopIdFilter"
     },
     {
      "$ref": "#/components/parameters/Limit"
     },
     {
      "$ref": "#/components/parameters/Offset"
     },
     {
      "name": "low_stock",
      "in": "query",
      "x-assumed": true,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "x-assumed": true,
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/InventoryList"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadQuery"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "429": {
      "$ref": "#/components/responses/TooManyRequests"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v2/public/orgs/{org}/products": {
   "x-assumed": true,
   "parameters": [
    {
     "$ref": "#/components/parameters/Org"
    }
   ],
   "get": {
    "operationId": "listProducts",
    "security": [
     {
      "bearerJwt": [
       "products:read"
      ]
     }
    ],
    "parameters": [
     {
      "name": "shop_id",
      "in": "query",
      "required": true,
      "schema": {
       "type": "string",
       "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$",
       "maxLength": 64
      }
     },
     {
      "$ref": "#/components/parameters/Limit"
     },
     {
      "$ref": "#/components/parameters/Offset"
     },
     {
      "name": "search",
      "in": "query",
      "x-assumed": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "x-assumed": true,
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ProductList"
        }
       }
      }
     },
     "400": {
      "x-assumed": true,
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "404": {
      "x-assumed": true,
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "$ref": "#/components/responses/TooManyRequests"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v2/public/orgs/{org}/reports/dashboard": {
   "x-assumed": true,
   "parameters": [
    {
     "$ref": "#/components/parameters/Org"
    }
   ],
   "get": {
    "operationId": "getDashboardStats",
    "security": [
     {
      "bearerJwt": [
       "reports:read"
      ]
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "required": [
          "data"
         ],
         "properties": {
          "data": {
           "$ref": "#/components/schemas/DashboardStats"
          }
         }
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "429": {
      "$ref": "#/components/responses/TooManyRequests"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v2/public/orgs/{org}/reports/product-performance": {
   "x-assumed": true,
   "parameters": [
    {
     "$ref": "#/components/parameters/Org"
    }
   ],
   "get": {
    "operationId": "getProductPerformance",
    "x-assumed": true,
    "security": [
     {
      "bearerJwt": [
       "reports:read"
      ]
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/Limit"
     }
    ],
    "responses": {
     "200": {
      "x-assumed": true,
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ProductPerformanceList"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/BadQuery"
     },
     "401": {
      "$ref": "#/components/responses/Unauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "429": {
      "$ref": "#/components/responses/TooManyRequests"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/public/orgs/{org}/order-requests": {
   "parameters": [
    {
     "$ref": "#/components/parameters/Org"
    }
   ],
   "post": {
    "operationId": "createOrderRequestV1",
    "security": [
     {
      "apikey": [
       "orders:write"
      ]
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "$ref": "#/components/requestBodies/OrderRequest"
    },
    "responses": {
     "201": {
      "$ref": "#/components/responses/OrderRequestCreated"
     },
     "400": {
      "$ref": "#/components/responses/BadOrderRequest"
     },
     "401": {
      "$ref": "#/components/responses/KongUnauthorized"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "429": {
      "$ref": "#/components/responses/GatewayTooManyRequests"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  },
  "/api/v1/external-order": {
   "post": {
    "operationId": "submitExternalOrder",
    "security": [
     {
      "apikey": [
       "orders:write"
      ]
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ExternalOrderBody"
       }
      }
     }
    },
    "responses": {
     "201": {
      "$ref": "#/components/responses/OrderRequestCreated"
     },
     "400": {
      "x-assumed": true,
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "x-assumed": true,
      "content": {
       "application/json": {
        "schema": {
         "anyOf": [
          {
           "$ref": "#/components/schemas/KongError"
          },
          {
           "$ref": "#/components/schemas/Error"
          }
         ]
        }
       }
      }
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "404": {
      "x-assumed": true,
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "422": {
      "$ref": "#/components/responses/ValidationFailed"
     },
     "429": {
      "$ref": "#/components/responses/GatewayTooManyRequests"
     },
     "5XX": {
      "$ref": "#/components/responses/ServerError"
     }
    }
   }
  }
 },
 "components": {
  "securitySchemes": {
   "apikey": {
    "type": "apiKey",
    "in": "header",
    "name": "apikey"
   },
   "bearerJwt": {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT"
   }
  },
  "parameters": {
   "Org": {
    "name": "org",
    "in": "path",
    "required": true,
    "schema": {
     "type": "string",
     "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$",
     "maxLength": 64
    }
   },
   "OrderId": {
    "name": "id",
    "in": "path",
    "required": true,
    "x-assumed": true,
    "schema": {
     "type": "string",
     "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$",
     "maxLength": 64
    }
   },
   "Limit": {
    "name": "limit",
    "in": "query",
    "x-assumed": true,
    "schema": {
     "type": "integer",
     "minimum": 1,
     "maximum": 100,
     "default": 20
    }
   },
   "Offset": {
    "name": "offset",
    "in": "query",
    "x-assumed": true,
    "schema": {
     "type": "integer",
     "minimum": 0,
     "default": 0
    }
   },
   "ShopIdFilter": {
    "name": "shop_id",
    "in": "query",
    "x-assumed": true,
    "schema": {
     "type": "string",
     "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$",
     "maxLength": 64
    }
   },
   "IdempotencyKey": {
    "name": "Idempotency-Key",
    "in": "header",
    "x-assumed": true,
    "schema": {
     "type": "string",
     "minLength": 1,
     "maxLength": 255
    }
   }
  },
  "headers": {
   "RetryAfter": {
    "required": true,
    "x-assumed": true,
    "schema": {
     "type": "integer",
     "minimum": 0
    }
   },
   "IdempotentReplayed": {
    "x-assumed": true,
    "schema": {
     "type": "string",
     "enum": [
      "true"
     ]
    }
   },
   "Allow": {
    "required": true,
    "x-assumed": true,
    "schema": {
     "type": "string"
    }
   }
  },
  "requestBodies": {
   "OrderRequest": {
    "required": true,
    "x-assumed": true,
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/OrderRequestBody"
      }
     }
    }
   }
  },
  "responses": {
   "OrderRequestCreated": {
    "x-assumed": true,
    "headers": {
     "Idempotent-Replayed": {
      "$ref": "#/components/headers/IdempotentReplayed"
     }
    },
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/OrderRequest"
      }
     }
    }
   },
   "BadOrderRequest": {
    "x-assumed": true,
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "BadQuery": {
    "x-assumed": true,
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "ValidationFailed": {
    "x-assumed": true,
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/ValidationError"
      }
     }
    }
   },
   "NotFound": {
    "x-assumed": true,
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "Unauthorized": {
    "x-assumed": true,
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "InvalidApiKey": {
    "x-assumed": true,
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "KongUnauthorized": {
    "x-assumed": true,
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/KongError"
      }
     }
    }
   },
   "Forbidden": {
    "x-assumed": true,
    "content": {
     "application/json": {
      "schema": {
       "anyOf": [
        {
         "$ref": "#/components/schemas/ScopeError"
        },
        {
         "$ref": "#/components/schemas/Error"
        }
       ]
      }
     }
    }
   },
   "TooManyRequests": {
    "x-assumed": true,
    "headers": {
     "Retry-After": {
      "$ref": "#/components/headers/RetryAfter"
     }
    },
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "GatewayTooManyRequests": {
    "x-assumed": true,
    "headers": {
     "Retry-After": {
      "$ref": "#/components/headers/RetryAfter"
     }
    },
    "content": {
     "application/json": {
      "schema": {
       "anyOf": [
        {
         "$ref": "#/components/schemas/Error"
        },
        {
         "$ref": "#/components/schemas/KongError"
        }
       ]
      }
     }
    }
   },
   "ServerError": {
    "x-assumed": true,
    "headers": {
     "Retry-After": {
      "x-assumed": true,
      "schema": {
       "type": "integer",
       "minimum": 0
      }
     }
    },
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "MethodNotAllowed": {
    "x-assumed": true,
    "headers": {
     "Allow": {
      "$ref": "#/components/headers/Allow"
     }
    },
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   }
  },
  "schemas": {
   "TokenResponse": {
    "type": "object",
    "required": [
     "access_token",
     "expires_in",
     "token_type"
    ],
    "properties": {
     "access_token": {
      "type": "string"
     },
     "expires_in": {
      "type": "integer"
     },
     "token_type": {
      "type": "string",
      "x-extensible-enum": [
       "Bearer"
      ]
     }
    }
   },
   "TokenClaims": {
    "type": "object",
    "required": [
     "iss",
     "sub",
     "org_id",
     "scopes",
     "iat",
     "exp"
    ],
    "properties": {
     "iss": {
      "type": "string",
      "x-extensible-enum": [
       "pharmaone-integration"
      ]
     },
     "sub": {
      "type": "string",
      "x-extensible-enum": [
       "integration"
      ]
     },
     "org_id": {
      "type": "string"
     },
     "scopes": {
      "type": "array",
      "items": {
       "type": "string",
       "x-assumed": true,
       "x-extensible-enum": [
        "shops:read",
        "orders:read",
        "orders:write",
        "prescriptions:read",
        "prescriptions:write",
        "inventory:read",
        "products:read",
        "reports:read"
       ]
      }
     },
     "iat": {
      "type": "integer",
      "x-assumed": true
     },
     "exp": {
      "type": "integer",
      "x-assumed": true
     }
    }
   },
   "Shop": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "id",
     "name",
     "url",
     "active"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "url": {
      "type": [
       "string",
       "null"
      ]
     },
     "active": {
      "type": "boolean"
     }
    }
   },
   "ShopList": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "data"
    ],
    "properties": {
     "data": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Shop"
      }
     }
    }
   },
   "Pagination": {
    "type": "object",
    "required": [
     "limit",
     "offset",
     "total"
    ],
    "properties": {
     "limit": {
      "type": "integer",
      "minimum": 0
     },
     "offset": {
      "type": "integer",
      "minimum": 0
     },
     "total": {
      "type": "integer",
      "minimum": 0
     }
    }
   },
   "OrderStatusValue": {
    "type": "string",
    "x-assumed": true,
    "enum": [
     "pending",
     "awaiting_packing",
     "packed",
     "shipped",
     "ready_for_pickup",
     "completed",
     "cancelled"
    ]
   },
   "OrderSummary": {
    "type": "object",
    "required": [
     "id",
     "shop_id",
     "customer_name",
     "status",
     "payment_status",
     "total_amount",
     "created_at",
     "updated_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "shop_id": {
      "type": "string"
     },
     "customer_name": {
      "type": "string"
     },
     "status": {
      "type": "string",
      "x-extensible-enum": [
       "pending",
       "awaiting_packing",
       "packed",
       "shipped",
       "ready_for_pickup",
       "completed",
       "cancelled"
      ]
     },
     "payment_status": {
      "type": "string",
      "x-extensible-enum": [
       "pending",
       "paid",
       "failed",
       "refunded"
      ]
     },
     "total_amount": {
      "type": "number"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "updated_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "OrderList": {
    "type": "object",
    "required": [
     "data",
     "pagination"
    ],
    "properties": {
     "data": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/OrderSummary"
      }
     },
     "pagination": {
      "$ref": "#/components/schemas/Pagination"
     }
    }
   },
   "Order": {
    "allOf": [
     {
      "$ref": "#/components/schemas/OrderSummary"
     },
     {
      "type": "object",
      "required": [
       "customer_email",
       "items",
       "shipping_address"
      ],
      "properties": {
       "customer_email": {
        "type": "string"
       },
       "items": {
        "type": "array",
        "items": {
         "$ref": "#/components/schemas/OrderItem"
        }
       },
       "shipping_address": {
        "x-assumed": true,
        "oneOf": [
         {
          "$ref": "#/components/schemas/ShippingAddress"
         },
         {
          "type": "null"
         }
        ]
       }
      }
     }
    ]
   },
   "OrderItem": {
    "type": "object",
    "required": [
     "name",
     "quantity",
     "price",
     "p1_id"
    ],
    "properties": {
     "name": {
      "type": "string"
     },
     "quantity": {
      "type": "integer"
     },
     "price": {
      "type": "number"
     },
     "p1_id": {
      "type": "string"
     }
    }
   },
   "ShippingAddress": {
    "type": "object",
    "required": [
     "street",
     "city",
     "postal_code",
     "phone"
    ],
    "properties": {
     "street": {
      "type": "string"
     },
     "city": {
      "type": "string"
     },
     "postal_code": {
      "type": "string"
     },
     "phone": {
      "type": [
       "string",
       "null"
      ],
      "x-assumed": true
     }
    }
   },
   "OrderStatusUpdate": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "status"
    ],
    "properties": {
     "status": {
      "$ref": "#/components/schemas/OrderStatusValue"
     }
    }
   },
   "OrderPayloadItem": {
    "type": "object",
    "required": [
     "name",
     "quantity",
     "price"
    ],
    "properties": {
     "name": {
      "type": "string",
      "minLength": 1
     },
     "quantity": {
      "type": "integer",
      "minimum": 1
     },
     "price": {
      "type": "number",
      "minimum": 0
     },
     "p1_id": {
      "type": "string",
      "x-assumed": true
     }
    }
   },
   "OrderPayload": {
    "type": "object",
    "required": [
     "customer_name",
     "customer_email",
     "items"
    ],
    "properties": {
     "customer_name": {
      "type": "string",
      "minLength": 1
     },
     "customer_email": {
      "type": "string"
     },
     "address_street": {
      "type": "string"
     },
     "address_city": {
      "type": "string"
     },
     "address_postal_code": {
      "type": "string"
     },
     "address_phone": {
      "type": "string"
     },
     "shipping_option": {
      "type": "string"
     },
     "total_amount": {
      "type": "number",
      "minimum": 0
     },
     "items": {
      "type": "array",
      "minItems": 1,
      "items": {
       "$ref": "#/components/schemas/OrderPayloadItem"
      }
     }
    }
   },
   "OrderRequestBody": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "shop_id",
     "payload"
    ],
    "properties": {
     "shop_id": {
      "type": "string"
     },
     "external_reference": {
      "type": "string"
     },
     "source": {
      "type": "string"
     },
     "payload": {
      "$ref": "#/components/schemas/OrderPayload"
     }
    }
   },
   "ExternalOrderBody": {
    "type": "object",
    "required": [
     "payload"
    ],
    "properties": {
     "external_reference": {
      "type": "string"
     },
     "source": {
      "type": "string"
     },
     "payload": {
      "$ref": "#/components/schemas/OrderPayload"
     }
    }
   },
   "OrderRequest": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "id",
     "status",
     "order_id",
     "shop_id",
     "created_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "status": {
      "type": "string",
      "x-extensible-enum": [
       "received"
      ]
     },
     "order_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "shop_id": {
      "type": "string"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "Prescription": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "id",
     "shop_id",
     "status",
     "patient_name",
     "patient_email",
     "doctor_name",
     "external_reference",
     "order_id",
     "items",
     "created_at",
     "updated_at"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "shop_id": {
      "type": "string"
     },
     "status": {
      "type": "string",
      "x-extensible-enum": [
       "pending",
       "approved",
       "completed",
       "declined"
      ]
     },
     "patient_name": {
      "type": "string"
     },
     "patient_email": {
      "type": [
       "string",
       "null"
      ]
     },
     "doctor_name": {
      "type": "string"
     },
     "external_reference": {
      "type": [
       "string",
       "null"
      ]
     },
     "order_id": {
      "type": [
       "string",
       "null"
      ]
     },
     "items": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/PrescriptionItem"
      }
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "updated_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "PrescriptionItem": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "name",
     "quantity",
     "dosage"
    ],
    "properties": {
     "name": {
      "type": "string"
     },
     "quantity": {
      "type": "integer"
     },
     "dosage": {
      "type": [
       "string",
       "null"
      ]
     }
    }
   },
   "PrescriptionList": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "data",
     "pagination"
    ],
    "properties": {
     "data": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Prescription"
      }
     },
     "pagination": {
      "$ref": "#/components/schemas/Pagination"
     }
    }
   },
   "PrescriptionIngest": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "Shop ID",
     "Patient Name",
     "Doctor Name",
     "Issued At",
     "Items"
    ],
    "properties": {
     "Shop ID": {
      "type": "string"
     },
     "External Reference": {
      "type": "string"
     },
     "Patient Name": {
      "type": "string",
      "minLength": 1
     },
     "Patient Email": {
      "type": "string"
     },
     "Patient Date Of Birth": {
      "type": "string",
      "format": "date"
     },
     "Doctor Name": {
      "type": "string",
      "minLength": 1
     },
     "Issued At": {
      "type": "string",
      "format": "date"
     },
     "Items": {
      "type": "array",
      "minItems": 1,
      "items": {
       "$ref": "#/components/schemas/PrescriptionIngestItem"
      }
     }
    }
   },
   "PrescriptionIngestItem": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "Product Name",
     "Quantity"
    ],
    "properties": {
     "Product Name": {
      "type": "string",
      "minLength": 1
     },
     "Quantity": {
      "type": "integer",
      "minimum": 1
     },
     "Dosage": {
      "type": "string"
     }
    }
   },
   "InventoryItem": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "p1_id",
     "shop_id",
     "name",
     "quantity",
     "reserved",
     "unit",
     "reorder_level",
     "updated_at"
    ],
    "properties": {
     "p1_id": {
      "type": "string"
     },
     "shop_id": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "quantity": {
      "type": "integer"
     },
     "reserved": {
      "type": "integer"
     },
     "unit": {
      "type": "string"
     },
     "reorder_level": {
      "type": "integer"
     },
     "updated_at": {
      "type": "string",
      "format": "date-time"
     }
    }
   },
   "InventoryList": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "data",
     "pagination"
    ],
    "properties": {
     "data": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/InventoryItem"
      }
     },
     "pagination": {
      "$ref": "#/components/schemas/Pagination"
     }
    }
   },
   "Product": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "id",
     "p1_id",
     "shop_id",
     "name",
     "category",
     "price",
     "unit",
     "active"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "p1_id": {
      "type": "string"
     },
     "shop_id": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "category": {
      "type": [
       "string",
       "null"
      ]
     },
     "price": {
      "type": "number"
     },
     "unit": {
      "type": "string"
     },
     "active": {
      "type": "boolean"
     }
    }
   },
   "ProductList": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "data",
     "pagination"
    ],
    "properties": {
     "data": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Product"
      }
     },
     "pagination": {
      "$ref": "#/components/schemas/Pagination"
     }
    }
   },
   "DashboardStats": {
    "type": "object",
    "required": [
     "prescriptions",
     "shop_performance",
     "monthly_trends"
    ],
    "properties": {
     "prescriptions": {
      "$ref": "#/components/schemas/DashboardPrescriptionCounts"
     },
     "shop_performance": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/ShopPerformance"
      }
     },
     "monthly_trends": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/MonthlyTrend"
      }
     }
    }
   },
   "DashboardPrescriptionCounts": {
    "type": "object",
    "required": [
     "total",
     "pending",
     "approved",
     "completed",
     "declined"
    ],
    "properties": {
     "total": {
      "type": "integer",
      "minimum": 0
     },
     "pending": {
      "type": "integer",
      "minimum": 0
     },
     "approved": {
      "type": "integer",
      "minimum": 0
     },
     "completed": {
      "type": "integer",
      "minimum": 0
     },
     "declined": {
      "type": "integer",
      "minimum": 0
     }
    }
   },
   "ShopPerformance": {
    "type": "object",
    "required": [
     "shop_id",
     "name",
     "order_count",
     "total_revenue",
     "unique_customers"
    ],
    "properties": {
     "shop_id": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "order_count": {
      "type": "integer"
     },
     "total_revenue": {
      "type": "number"
     },
     "unique_customers": {
      "type": "integer"
     }
    }
   },
   "MonthlyTrend": {
    "type": "object",
    "required": [
     "month",
     "order_count",
     "revenue"
    ],
    "properties": {
     "month": {
      "type": "string",
      "pattern": "^[0-9]{4}-[0-9]{2}$"
     },
     "order_count": {
      "type": "integer"
     },
     "revenue": {
      "type": "number"
     }
    }
   },
   "ProductPerformance": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "p1_id",
     "name",
     "units_sold",
     "order_count",
     "revenue"
    ],
    "properties": {
     "p1_id": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "units_sold": {
      "type": "integer"
     },
     "order_count": {
      "type": "integer"
     },
     "revenue": {
      "type": "number"
     }
    }
   },
   "ProductPerformanceList": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "data"
    ],
    "properties": {
     "data": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/ProductPerformance"
      }
     }
    }
   },
   "Error": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "error",
     "message"
    ],
    "properties": {
     "error": {
      "type": "string",
      "x-extensible-enum": [
       "bad_request",
       "invalid_json",
       "invalid_parameter",
       "invalid_status",
       "invalid_api_key",
       "invalid_token",
       "forbidden",
       "insufficient_scope",
       "not_found",
       "method_not_allowed",
       "payload_too_large",
       "invalid_transition",
       "idempotency_key_reused",
       "validation_failed",
       "rate_limited",
       "internal_error",
       "bad_gateway",
       "service_unavailable",
       "gateway_timeout"
      ]
     },
     "message": {
      "type": "string"
     }
    }
   },
   "ValidationError": {
    "x-assumed": true,
    "allOf": [
     {
      "$ref": "#/components/schemas/Error"
     },
     {
      "type": "object",
      "required": [
       "fields"
      ],
      "properties": {
       "fields": {
        "type": "array",
        "items": {
         "type": "string"
        }
       }
      }
     }
    ]
   },
   "ScopeError": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "error",
     "required_scope"
    ],
    "properties": {
     "error": {
      "type": "string",
      "x-extensible-enum": [
       "insufficient_scope"
      ]
     },
     "required_scope": {
      "type": "string"
     },
     "message": {
      "type": "string"
     }
    }
   },
   "KongError": {
    "type": "object",
    "x-assumed": true,
    "required": [
     "message"
    ],
    "properties": {
     "message": {
      "type": "string",
      "x-extensible-enum": [
       "Invalid authentication credentials",
       "No API key found in request",
       "API rate limit exceeded"
      ]
     }
    }
   }
  }
 }
};
