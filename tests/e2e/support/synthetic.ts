import { expect, type APIRequestContext } from "@playwright/test";

/**
 * Queues a synthetic dataset through the API (202 { jobId }) and waits for the e2e server's
 * worker to generate it; returns the new dataset's id.
 */
export async function generateSyntheticDataset(request: APIRequestContext, data: { name: string; options?: Record<string, unknown> }, headers: Record<string, string>): Promise<string> {
  const queued = await request.post("/api/datasets/synthetic", { data, headers });
  expect(queued.status()).toBe(202);
  const { jobId } = (await queued.json()) as { jobId: string };
  let datasetId: string | undefined;
  await expect
    .poll(async () => {
      const { job } = (await (await request.get(`/api/jobs/${jobId}`)).json()) as { job: { status: string; error: string | null; result: { datasetId?: string } | null } };
      datasetId = job.result?.datasetId;
      return job.status === "FAILED" ? `FAILED: ${job.error}` : job.status;
    }, { timeout: 60_000, message: "the synthetic generation job to finish" })
    .toBe("SUCCEEDED");
  return datasetId!;
}
