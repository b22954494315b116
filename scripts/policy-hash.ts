/**
 * Print the release hash of policy pack versions, for releasing a NEW version: add the printed line to
 * domain/policy/released.json. A released version's hash never changes (test/unit/policy-versions.test.ts).
 *   npm run policy:hash                      every registered version
 *   npm run policy:hash -- cn-2024@2024.1    one version
 */
import { createHash } from 'node:crypto';
import ts from 'typescript';
import { canonicalPolicy, type AnyFunction } from '../domain/policy/canonical';
import { parsePolicyRef, policyRef, releasedPolicies, resolvePlugin } from '../domain/policy';

/** Punctuation whose meaning the tree's nesting already carries (and transpilers add or drop freely). */
const structural = new Set([
  ts.SyntaxKind.OpenParenToken,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.SemicolonToken,
  ts.SyntaxKind.CommaToken,
  ts.SyntaxKind.EndOfFileToken,
]);
/** How CommonJS output names another module's (or its own exported) bindings: `evidence_1.f`, `import_evidence.f`, `exports.f`. */
const moduleBinding = /^(exports|import_[A-Za-z0-9_$]+|[A-Za-z0-9$]+_\d+)$/;

function tree(node: ts.Node, sf: ts.SourceFile): string {
  if (ts.isParenthesizedExpression(node)) return tree(node.expression, sf);
  // (0, m.f)(…): how CommonJS output calls an imported function
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.CommaToken &&
    ts.isNumericLiteral(node.left) &&
    node.left.text === '0'
  )
    return tree(node.right, sf);
  // __name(fn, "fn"): esbuild's keepNames wrapper
  if (
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === '__name' &&
    node.arguments[0]
  )
    return tree(node.arguments[0], sf);
  if (
    ts.isPropertyAccessExpression(node) &&
    ts.isIdentifier(node.expression) &&
    moduleBinding.test(node.expression.text)
  )
    return `id:${node.name.text}`;
  if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) return `id:${node.text}`;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    return `str:${JSON.stringify(node.text)}`;
  if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node))
    return `tpl:${JSON.stringify(node.text)}`;
  if (ts.isNumericLiteral(node)) return `num:${Number(node.text.replace(/_/g, ''))}`;
  if (ts.isBigIntLiteral(node)) return `big:${node.text.replace(/_/g, '')}`;
  if (ts.isRegularExpressionLiteral(node)) return `re:${node.text}`;
  const children = node.getChildren(sf);
  if (children.length === 0)
    return structural.has(node.kind) || node.kind === ts.SyntaxKind.SyntaxList
      ? ''
      : (ts.tokenToString(node.kind) ?? ts.SyntaxKind[node.kind]);
  const inner = children
    .map((c) => tree(c, sf))
    .filter(Boolean)
    .join(' ');
  return node.kind === ts.SyntaxKind.SyntaxList ? inner : `(${ts.SyntaxKind[node.kind]} ${inner})`;
}

/**
 * A function's source as a syntax tree without formatting, quote style, numeric spelling, redundant parentheses
 * or the module-binding names transpilers introduce: the same under `tsx` (esbuild) and `jest` (tsc), so this
 * script prints the hash the test checks.
 */
export function normalisedSource(fn: AnyFunction): string {
  // compilers write `undefined` as `void 0` (tsx does, ts-jest does not)
  const text = Function.prototype.toString.call(fn).replace(/\bvoid 0\b/g, 'undefined');
  // `name(a) {…}` (a method) is not an expression on its own: read it as an object literal's member
  for (const wrapped of [`(${text})`, `({${text}})`]) {
    const sf = ts.createSourceFile('f.js', `(${wrapped});`, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
    const diagnostics = (sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics;
    if (diagnostics.length === 0) return tree(sf, sf);
  }
  return text; // native code or a syntax this reader does not know: the text as it is
}

/** The hash of a pack version's content (`PolicyPlugin.content`; for cn-2024 the `PolicyPack` itself). */
export function policyHash(pack: { id: string; version: string }): string {
  return `sha256:${createHash('sha256').update(canonicalPolicy(pack, normalisedSource), 'utf8').digest('hex')}`;
}

function main(args: string[]): number {
  const packs: { id: string; version: string }[] = [];
  for (const arg of args.filter((a) => a !== '--')) {
    const ref = parsePolicyRef(arg);
    const pack = ref && resolvePlugin(ref.id, ref.version)?.content;
    if (!pack) {
      console.error(`${arg}: not a registered policy version (expected <id>@<version>, e.g. cn-2024@2024.1)`);
      return 2;
    }
    packs.push(pack);
  }
  const hashes = Object.fromEntries(
    (packs.length ? packs : releasedPolicies()).map((p) => [policyRef(p), policyHash(p)]),
  );
  console.log(JSON.stringify(hashes, null, 2));
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
