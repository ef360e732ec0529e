/** A span as Zipkin's v2 API returns it (https://zipkin.io/zipkin-api/#/default/get_trace__traceId_). */
export interface ZipkinSpan {
  readonly traceId: string;
  readonly id: string;
  readonly parentId?: string;
  readonly name?: string;
  readonly kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  readonly localEndpoint?: { readonly serviceName?: string };
  readonly tags?: Readonly<Record<string, string>>;
}

/** The local stack's Zipkin (tools/stack): `ZIPKIN_PORT`, default 9411. */
export function zipkinUrl(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return `http://127.0.0.1:${env['ZIPKIN_PORT'] ?? '9411'}`;
}

/** Every span Zipkin holds for the trace; empty while none has arrived (Zipkin answers 404 then). */
export async function zipkinTrace(traceId: string, baseUrl = zipkinUrl()): Promise<ZipkinSpan[]> {
  const response = await fetch(`${baseUrl}/api/v2/trace/${traceId}`);
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`zipkin GET /api/v2/trace/${traceId}: ${response.status}`);
  return (await response.json()) as ZipkinSpan[];
}

/** A span's parents from the nearest up, as far as the trace holds them. */
export function ancestorsOf(span: ZipkinSpan, trace: readonly ZipkinSpan[]): ZipkinSpan[] {
  const byId = new Map(trace.map((candidate) => [candidate.id, candidate]));
  const chain: ZipkinSpan[] = [];
  for (
    let parent = byId.get(span.parentId ?? '');
    parent !== undefined;
    parent = byId.get(parent.parentId ?? '')
  ) {
    if (chain.includes(parent)) break;
    chain.push(parent);
  }
  return chain;
}
