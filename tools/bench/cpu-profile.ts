/**
 * Where a process's CPU went, by package: the self time of every sample of a V8 `.cpuprofile` summed by the npm
 * package its function belongs to, Node's own modules by module, the project's code as one row. Self time only: a
 * wrapper's row (an OpenTelemetry instrumentation, say) is what the wrapper itself costs, not what it wraps.
 */
export interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** V8's name for the samples the thread waited: not CPU. */
export const IDLE = '(idle)';

/** The row a function's self time is counted under. */
export function categoryOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scopeOrName = '', name = ''] = url.slice(modules + '/node_modules/'.length).split('/');
    return scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
  }
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return '(the project)';
}

/** Microseconds of self time per category; a sample's time is the delta that follows it (V8's convention). */
export function selfTimeByCategory(profile: CpuProfile): Map<string, number> {
  const categoryOfNode = new Map(profile.nodes.map((node) => [node.id, categoryOf(node.callFrame)]));
  const totals = new Map<string, number>();
  profile.samples.forEach((nodeId, index) => {
    const category = categoryOfNode.get(nodeId) ?? '(unknown)';
    const micros = profile.timeDeltas[index + 1] ?? 0;
    totals.set(category, (totals.get(category) ?? 0) + micros);
  });
  return totals;
}
