/** The lifecycle shared by jobs and runs: QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED. */
export const LIFECYCLE_STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];
