/**
 * What clients depend on in the document, and the changes to it that break them. A committed
 * surface per major version (openapi/baseline/<major>.json) is what the served document is
 * compared with: within a major, operations and response fields may be added, never removed,
 * and nothing a client sends may become required.
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};
type Parameter = { $ref?: string; name: string; in: string; required?: boolean };
type Media = { schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, Media> };
  responses?: Record<string, { content?: Record<string, Media> }>;
};
export type OpenApiDocument = {
  info: { version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema>; parameters?: Record<string, Parameter> };
};

export interface Surface {
  version: string;
  /** `METHOD /path` → what the client sends (each input and whether it is required) and the fields of each answer. */
  operations: Record<string, { request: Record<string, boolean>; responses: Record<string, string[]> }>;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

export const majorOf = (version: string) => Number(version.split('.')[0]);

/** Every field of a schema as a path (`data[].amount`), with whether its object requires it. */
function fields(doc: OpenApiDocument, schema: Schema | undefined, prefix: string, out: Map<string, boolean>, seen: string[] = []) {
  if (!schema) return;
  if (schema.$ref) {
    // A schema that contains itself is walked once per branch.
    if (seen.includes(schema.$ref)) return;
    const name = schema.$ref.split('/').pop()!;
    fields(doc, doc.components?.schemas?.[name], prefix, out, [...seen, schema.$ref]);
    return;
  }
  for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) fields(doc, part, prefix, out, seen);
  if (schema.items) fields(doc, schema.items, `${prefix}[]`, out, seen);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    out.set(path, (out.get(path) ?? false) || (schema.required ?? []).includes(name));
    fields(doc, property, path, out, seen);
  }
}

export function surfaceOf(doc: OpenApiDocument): Surface {
  const operations: Surface['operations'] = {};
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!METHODS.has(method)) continue;
      const request: Record<string, boolean> = {};
      for (const given of op.parameters ?? []) {
        const p = given.$ref ? doc.components?.parameters?.[given.$ref.split('/').pop()!] : given;
        if (p) request[`${p.in}:${p.name}`] = p.required ?? false;
      }
      if (op.requestBody) {
        request.body = op.requestBody.required ?? false;
        const body = new Map<string, boolean>();
        for (const media of Object.values(op.requestBody.content ?? {})) fields(doc, media.schema, '', body);
        for (const [field, required] of body) request[`body.${field}`] = required;
      }
      const responses: Record<string, string[]> = {};
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (!/^2/.test(status)) continue;
        const found = new Map<string, boolean>();
        for (const media of Object.values(response.content ?? {})) fields(doc, media.schema, '', found);
        responses[status] = [...found.keys()].sort();
      }
      operations[`${method.toUpperCase()} ${path}`] = { request, responses };
    }
  }
  return { version: doc.info.version, operations };
}

/** The changes from `before` to `after` that break a client written against `before`. */
export function breakingChanges(before: Surface, after: Surface): string[] {
  const found: string[] = [];
  for (const [operation, old] of Object.entries(before.operations)) {
    const now = after.operations[operation];
    if (!now) {
      found.push(`removed operation ${operation}`);
      continue;
    }
    for (const [status, oldFields] of Object.entries(old.responses)) {
      const newFields = now.responses[status];
      if (!newFields) {
        found.push(`${operation}: removed response ${status}`);
        continue;
      }
      const kept = new Set(newFields);
      for (const field of oldFields) if (!kept.has(field)) found.push(`${operation}: removed field ${field} from response ${status}`);
    }
    for (const [input, required] of Object.entries(now.request)) {
      if (required && !old.request[input]) found.push(`${operation}: ${input} is newly required`);
    }
  }
  return found;
}
