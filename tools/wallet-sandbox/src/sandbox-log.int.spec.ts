import { expectEventually, startWalletSandbox, type WalletSandboxProcess } from '@pitboss/testing';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

/** The sandbox as a real process with tracing on (the helper's default): its lines carry the request's trace. */
describe('wallet sandbox logs', () => {
  let sandbox: WalletSandboxProcess;

  beforeAll(async () => {
    sandbox = await startWalletSandbox();
  });

  afterAll(() => sandbox?.stop());

  it("writes the trace_id and span_id of the request's span on a line logged while answering it", async () => {
    const response = await fetch(`${sandbox.adminUrl}/admin/faults`, {
      method: 'PUT',
      headers: {
        'x-admin-token': sandbox.adminToken,
        'content-type': 'application/json',
        traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01`,
      },
      body: JSON.stringify({ timeout_rate: 0 }),
    });
    expect(response.status).toBeLessThan(300);

    // The line is written before the answer, but reaches this process through a pipe of its own.
    const line = await expectEventually(() => {
      const found = sandbox.output
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((entry) => entry['message'] === 'faults set');
      expect(found).toMatchObject({
        service: 'wallet-sandbox',
        trace_id: TRACE_ID,
        span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      });
      return found;
    });
    // The sandbox's own server span, a child of the caller's, not the caller's span itself.
    expect(line?.['span_id']).not.toBe('b7ad6b7169203331');
  });

  it('writes no trace fields on a line logged outside any request', () => {
    const listening = sandbox.output
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry['message'] === 'wallet-sandbox listening');
    expect(listening).toBeDefined();
    expect(listening).not.toHaveProperty('trace_id');
  });
});
