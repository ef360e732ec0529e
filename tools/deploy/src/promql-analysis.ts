import { EditorState } from '@codemirror/state';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import { Parser } from '@prometheus-io/codemirror-promql/dist/cjs/parser';

const promql = new PromQLExtension().asExtension();

/**
 * The problems Prometheus's own editor analyser (codemirror-promql) finds beyond syntax: argument and operand
 * types, e.g. `rate(foo)` ("expected type matrix … got vector") or a string compared with a vector.
 */
export function promqlTypeErrors(expr: string): string[] {
  const parser = new Parser(EditorState.create({ doc: expr, extensions: promql }));
  parser.analyze();
  return parser.getDiagnostics().map((diagnostic) => diagnostic.message);
}
