/**
 * A failure the user can act on. The CLI prints only its message (one line, no stack trace), so the message must
 * say what is wrong and which setting or command fixes it.
 */
export class StackError extends Error {
  override readonly name = 'StackError';
}

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() || 'unknown error';
}
