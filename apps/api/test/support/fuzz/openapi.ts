// The operations of the API's own OpenAPI document, and the JSON schema at a point of a body:
// what the fuzzer walks and how it knows whether a broken value must be refused.

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  required?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  maxLength?: number;
  $ref?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface OperationObject {
  parameters?: { name: string; in: string; schema: JsonSchema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: JsonSchema }> };
}

export interface Operation {
  /** "POST /v1/pools/{id}/shards" */
  name: string;
  method: string;
  path: string;
  params: { name: string; in: 'path' | 'query'; schema: JsonSchema }[];
  body: { contentType: string; required: boolean; schema: JsonSchema } | undefined;
}

export function operationsOf(doc: OpenApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      const params = (op.parameters ?? [])
        .filter((p) => p.in === 'path' || p.in === 'query')
        .map((p) => ({ name: p.name, in: p.in as 'path' | 'query', schema: p.schema }));
      const content = Object.entries(op.requestBody?.content ?? {})[0];
      out.push({
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        params,
        body: content && {
          contentType: content[0],
          required: op.requestBody?.required ?? false,
          schema: content[1].schema ?? {},
        },
      });
    }
  return out;
}

export function resolve(doc: OpenApiDoc, schema: JsonSchema | undefined): JsonSchema | undefined {
  let s = schema;
  for (let i = 0; s?.$ref && i < 10; i++)
    s = doc.components?.schemas?.[s.$ref.replace('#/components/schemas/', '')];
  return s;
}

/**
 * The schema of the value at `path` inside a value of `schema`; undefined where the document does
 * not say for certain (unions, records of anything), so that no conclusion is drawn there.
 */
export function schemaAt(
  doc: OpenApiDoc,
  schema: JsonSchema | undefined,
  path: readonly (string | number)[],
): JsonSchema | undefined {
  let s = resolve(doc, schema);
  for (const key of path) {
    if (!s || s.anyOf || s.oneOf || s.allOf) return undefined;
    if (s.type === 'array') s = resolve(doc, s.items);
    else if (s.type === 'object') {
      const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
      s = resolve(doc, s.properties?.[key] ?? extra);
    } else return undefined;
  }
  return s && !s.anyOf && !s.oneOf && !s.allOf ? s : undefined;
}

/** The one JSON type a schema allows, or undefined when it allows several or does not say. */
export function singleType(schema: JsonSchema | undefined): string | undefined {
  return typeof schema?.type === 'string' ? schema.type : undefined;
}

/** Whether the number `n` is refused by `schema` (type integer, bounds). */
export function numberRefused(schema: JsonSchema, n: number): boolean {
  const type = singleType(schema);
  if (type !== 'number' && type !== 'integer') return type !== undefined;
  if (!Number.isFinite(n)) return true;
  if (type === 'integer' && !Number.isInteger(n)) return true;
  if (schema.maximum !== undefined && n > schema.maximum) return true;
  if (schema.minimum !== undefined && n < schema.minimum) return true;
  if (schema.exclusiveMinimum !== undefined && n <= schema.exclusiveMinimum) return true;
  return schema.exclusiveMaximum !== undefined && n >= schema.exclusiveMaximum;
}
