/**
 * The operations of the served OpenAPI document, with their schemas resolved: what the
 * hostile-input suite and the authorisation matrix walk, so a route added tomorrow is in both.
 */

/** A JSON Schema as the document writes it (OpenAPI 3.1), after `$ref`s are resolved. */
export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  minProperties?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  example?: unknown;
  default?: unknown;
  nullable?: boolean;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The document's template, `/api/expenses/{id}`. */
  path: string;
  operationId: string;
  params: Parameter[];
  body: { contentType: string; schema: Schema; required: boolean } | undefined;
  /** How a caller proves who it is: a user's bearer token, the OCR worker's secret, or nothing. */
  auth: 'bearer' | 'worker' | 'none';
  /** The statuses the document lists for it. */
  statuses: number[];
}

type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, unknown> } };

/** Inlines every `$ref` (the document's schemas are acyclic; a cycle would overflow here, loudly). */
export function resolve(doc: Doc, node: unknown): any {
  if (Array.isArray(node)) return node.map((n) => resolve(doc, n));
  if (node === null || typeof node !== 'object') return node;
  const ref = (node as { $ref?: string }).$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    return resolve(doc, doc.components.schemas[name]);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(doc, v)]));
}

export function operationsOf(doc: Doc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = op.requestBody?.content as Record<string, { schema: unknown }> | undefined;
      const [contentType, media] = Object.entries(content ?? {})[0] ?? [];
      const security = (op.security ?? []) as Record<string, unknown>[];
      ops.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        operationId: op.operationId,
        params: ((op.parameters ?? []) as any[]).map((p) => ({ name: p.name, in: p.in, required: Boolean(p.required), schema: resolve(doc, p.schema) })),
        body: contentType ? { contentType, schema: resolve(doc, media!.schema), required: Boolean(op.requestBody.required) } : undefined,
        auth: security.some((s) => 'bearerAuth' in s) ? 'bearer' : security.some((s) => 'ocrWorkerSecret' in s) ? 'worker' : 'none',
        statuses: Object.keys(op.responses ?? {}).map(Number),
      });
    }
  }
  return ops;
}

export const pathParams = (op: Operation) => op.params.filter((p) => p.in === 'path');

/** The path with each `{param}` replaced by its (already URL-encoded) value. */
export const fillPath = (op: Operation, values: Record<string, string>) =>
  op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${op.method} ${op.path}: no value for {${name}}`);
    return value;
  });

export const label = (op: Operation) => `${op.method} ${op.path}`;
