/** A sleep that `wake()` cuts short, so stopping never waits out a poll interval or a backoff. */
export class InterruptibleSleep {
  private wakeCurrent: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.wakeCurrent = undefined;
        resolve();
      }
      this.wakeCurrent = done;
    });
  }

  wake(): void {
    this.wakeCurrent?.();
  }
}
