/**
 * Checks real responses against the served OpenAPI document: the path and method are documented, the status is
 * one the operation declares, the media type matches, and a JSON body validates against the declared schema
 * (JSON Schema 2020-12, as OpenAPI 3.1 uses). Every API test's responses pass through it (test/helpers.ts).
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type Doc = { paths: Record<string, Record<string, Operation>> };

export function contractChecker(doc: Doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi');
  const templates = Object.keys(doc.paths).map((p) => ({
    path: p,
    re: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    literal: !p.includes('{'),
  }));
  const problem = (body: unknown) => ajv.getSchema('openapi#/components/schemas/Problem')!(body);
  const pointer = (...parts: string[]) =>
    `openapi#/${parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;

  return function check(
    method: string,
    url: string,
    status: number,
    contentType: string | null,
    body: unknown,
  ): string | null {
    // express routes ignore one trailing slash
    const path = new URL(url, 'http://x').pathname.replace(/(.)\/$/, '$1');
    // a literal path wins over a template (/v1/calendar/due before /v1/calendar/{year})
    const match =
      templates.find((t) => t.literal && t.re.test(path)) ?? templates.find((t) => t.re.test(path));
    const where = `${method} ${path} → ${status}`;
    const op = match ? doc.paths[match.path]![method.toLowerCase()] : undefined;
    if (!match || !op) {
      // no such operation: only a generic problem may answer (authentication, media type and JSON parsing run
      // before routing under /v1)
      const generic =
        [400, 401, 404, 405, 413, 415, 429].includes(status) &&
        (contentType ?? '').startsWith('application/problem+json');
      if (generic && problem(body)) return null;
      return `${where}: ${match ? 'method' : 'path'} not documented`;
    }
    const declared = op.responses[String(status)];
    if (!declared) return `${where}: status not documented`;
    if (!declared.content) return null;
    const media = (contentType ?? '').split(';')[0]!.trim();
    if (!declared.content[media])
      return `${where}: media type ${media || '(none)'} not documented (${Object.keys(declared.content).join(', ')})`;
    if (!media.endsWith('json') || declared.content[media].schema === undefined) return null;
    const validate = ajv.getSchema(
      pointer(
        'paths',
        match.path,
        method.toLowerCase(),
        'responses',
        String(status),
        'content',
        media,
        'schema',
      ),
    );
    if (!validate) return `${where}: schema not found`;
    if (validate(body)) return null;
    return `${where}: ${ajv.errorsText(validate.errors)}`;
  };
}
