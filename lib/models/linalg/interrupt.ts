/** A blocked linear-algebra routine stopped by its `interrupted` check (LinalgOptions in ./cholesky.ts). */
export class LinalgInterrupted extends Error {
  constructor() {
    super("the linear algebra was interrupted");
    this.name = "LinalgInterrupted";
  }
}

/** Throws LinalgInterrupted when `interrupted` says so. */
export async function stopIfInterrupted(interrupted: (() => Promise<boolean>) | undefined): Promise<void> {
  if (interrupted && (await interrupted())) throw new LinalgInterrupted();
}
