import { parser } from '@prometheus-io/lezer-promql';

import { isObject, type K8sObject, objectName } from './manifests';

export interface PromqlExpression {
  readonly where: string;
  readonly expr: string;
}

// Argo Rollouts substitutes its arguments before querying; any valid label value stands in for them here.
const ARGUMENT = /\{\{\s*args\.[\w-]+\s*\}\}/g;

/** Every PromQL expression the objects hold: alerts, canary analysis, KEDA triggers, Grafana panels. */
export function promqlExpressions(objects: readonly K8sObject[]): PromqlExpression[] {
  return objects.flatMap((object) => {
    const name = objectName(object);
    const spec = isObject(object['spec']) ? object['spec'] : {};
    switch (object.kind) {
      case 'PrometheusRule':
        return arrayOf(spec['groups']).flatMap((group) =>
          arrayOf(group['rules']).map((rule) => ({
            where: `${name} ${String(rule['alert'] ?? rule['record'])}`,
            expr: String(rule['expr']),
          })),
        );
      case 'AnalysisTemplate':
        return arrayOf(spec['metrics']).flatMap((metric) => {
          const query =
            isObject(metric['provider']) && isObject(metric['provider']['prometheus'])
              ? metric['provider']['prometheus']['query']
              : undefined;
          return typeof query === 'string'
            ? [{ where: `${name} ${String(metric['name'])}`, expr: query.replace(ARGUMENT, 'argument') }]
            : [];
        });
      case 'ScaledObject':
        return arrayOf(spec['triggers'])
          .filter((trigger) => trigger['type'] === 'prometheus' && isObject(trigger['metadata']))
          .map((trigger) => ({
            where: `${name} trigger`,
            expr: String((trigger['metadata'] as Record<string, unknown>)['query']),
          }));
      case 'ConfigMap':
        return object.metadata.labels?.['grafana_dashboard'] === undefined
          ? []
          : dashboardExpressions(object);
      default:
        return [];
    }
  });
}

function dashboardExpressions(object: K8sObject): PromqlExpression[] {
  const data = isObject(object['data']) ? object['data'] : {};
  return Object.entries(data).flatMap(([file, json]) => {
    const dashboard: unknown = JSON.parse(String(json));
    const panels = isObject(dashboard) ? arrayOf(dashboard['panels']) : [];
    return panels.flatMap((panel) =>
      arrayOf(panel['targets']).map((target) => ({
        where: `${objectName(object)} ${file} "${String(panel['title'])}"`,
        expr: String(target['expr']),
      })),
    );
  });
}

function arrayOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** A syntax error's position in the expression, or undefined when it parses. */
export function promqlSyntaxError(expr: string): number | undefined {
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.type.isError) return cursor.from;
  } while (cursor.next());
  return undefined;
}

/** The metric names an expression selects (`foo{…}`, `foo[5m]`), from its syntax tree. */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  const cursor = parser.parse(expr).cursor();
  do {
    const node = cursor.node;
    if (node.type.name === 'VectorSelector') {
      const identifier = node.getChild('Identifier');
      if (identifier !== null) names.add(expr.slice(identifier.from, identifier.to));
    }
  } while (cursor.next());
  return [...names].sort();
}

/**
 * Whether a Prometheus text exposition exports the name: directly, or as a histogram's/summary's
 * `_bucket`/`_count`/`_sum` series.
 */
export function isExported(name: string, exposition: string): boolean {
  const types = new Map<string, string>();
  for (const line of exposition.split('\n')) {
    const match = /^# TYPE (\S+) (\S+)/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) types.set(match[1], match[2]);
  }
  if (types.has(name)) return true;
  const suffix = /^(.*)_(bucket|count|sum)$/.exec(name);
  const base = suffix?.[1];
  return base !== undefined && ['histogram', 'summary'].includes(types.get(base) ?? '');
}
