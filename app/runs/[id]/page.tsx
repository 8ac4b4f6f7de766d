import { notFound } from "next/navigation";
import { RunView } from "../../_components/runs/run-view";
import { AppError } from "@/lib/errors";
import { getRunOrThrow } from "@/lib/server/get-run-or-throw";

export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const run = await getRunOrThrow(id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  return <RunView initialRun={run} />;
}
