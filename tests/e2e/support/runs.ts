import { expect, type APIRequestContext } from "@playwright/test";
import { csrf } from "./csrf";

/** Launches a run through the API; its id. */
export async function launchRun(request: APIRequestContext, datasetId: string, modelId: string, params: Record<string, unknown>): Promise<string> {
  const created = await request.post("/api/runs", { data: { datasetId, config: { modelId, params } }, headers: await csrf(request) });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

/** Polls a run's or experiment's API until it reaches `status`. */
export async function waitForStatus(request: APIRequestContext, path: string, key: "run" | "experiment", status: string): Promise<void> {
  await expect
    .poll(async () => ((await (await request.get(path)).json()) as Record<string, { status: string }>)[key].status, { timeout: 150_000, message: `${path} to be ${status}` })
    .toBe(status);
}
