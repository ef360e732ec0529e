import { ensureSyntaxTree } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import { Parser } from '@prometheus-io/codemirror-promql/dist/cjs/parser';

const promql = new PromQLExtension().asExtension();
/** Far beyond what one expression takes; reached only when the machine stalls. */
const PARSE_TIMEOUT_MS = 10_000;

/**
 * The problems Prometheus's own editor analyser (codemirror-promql) finds beyond syntax: argument and operand
 * types, e.g. `rate(foo)` ("expected type matrix … got vector") or a string compared with a vector.
 */
export function promqlTypeErrors(expr: string): string[] {
  const state = EditorState.create({ doc: expr, extensions: promql });
  // An editor parses within a time budget of a few milliseconds and shows the rest later; on a loaded machine that
  // leaves a partial tree, which the analyser reports as bogus errors ("unable to find the parameter"). So the
  // whole document is parsed first and handed to the analyser.
  const tree = ensureSyntaxTree(state, state.doc.length, PARSE_TIMEOUT_MS);
  if (tree === null) return [`not parsed within ${PARSE_TIMEOUT_MS} ms`];
  const parser = new Parser(state);
  (parser as unknown as { tree: typeof tree }).tree = tree;
  parser.analyze();
  return parser.getDiagnostics().map((diagnostic) => diagnostic.message);
}
