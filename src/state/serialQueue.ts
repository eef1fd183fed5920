/**
 * Runs async jobs one after another. The analysis service expects serialised calls (one encoder
 * session, one columnar state); cancellation goes around the queue, not through it.
 */
export type Enqueue = <T>(job: () => Promise<T>) => Promise<T>;

export function serialQueue(): Enqueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>): Promise<T> => {
    const run = tail.then(job, job);
    // A failed job must not block the next one.
    tail = run.catch(() => undefined);
    return run;
  };
}
