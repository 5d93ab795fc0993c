/**
 * Runs commands one at a time, in arrival order. CongoDB's handlers read and then write with
 * awaits between (find, then update), which is only atomic while nothing else can run in between.
 * That held when every step finished in one tick; now replies wait on the disk, and the
 * continuations of two connections can meet in the same tick, so atomicity is made explicit.
 */
export class CommandGate {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
