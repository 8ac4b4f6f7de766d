import Link from "next/link";
import { notFound } from "next/navigation";
import { ExportMenu } from "../../../_components/reports/export-menu";
import { AppError } from "@/lib/errors";
import { getDataSheet } from "@/lib/server/get-data-sheet";
import { requirePagePrincipal } from "@/lib/server/page-auth";
import { mayShareReports } from "@/lib/server/sharing-setting";

export const dynamic = "force-dynamic";

export default async function DataSheetPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePagePrincipal("dataset:read");
  const sheet = await getDataSheet(id, principal).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const { dataset } = sheet;
  const { stats } = dataset;
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="data-sheet-title">Data sheet: {dataset.name}</h1>
          <div className="sub"><Link href={`/datasets/${id}`}>dataset</Link> · source {dataset.source} · imported {dataset.createdAt.slice(0, 10)}</div>
        </div>
        <ExportMenu target={{ kind: "dataset", datasetId: id }} mayShare={await mayShareReports(principal)} />
      </div>
      <div className="panel">
        <h2>Composition</h2>
        <p>{stats.numUsers} users, {stats.numItems} items, {stats.numInteractions} interactions ({stats.feedback} feedback), sparsity {(stats.sparsity * 100).toFixed(2)}%.</p>
        <p>Interactions per user: median {stats.userActivity.median}, from {stats.userActivity.min} to {stats.userActivity.max}. Per item: median {stats.itemActivity.median}, from {stats.itemActivity.min} to {stats.itemActivity.max}.</p>
        {stats.rating ? <p>Ratings from {stats.rating.min} to {stats.rating.max}, mean {stats.rating.mean.toFixed(2)}.</p> : null}
        <p>{dataset.hasTimestamps ? "Interactions carry timestamps." : "No timestamps: temporal splits are not meaningful."}</p>
      </div>
      <div className="panel">
        <h2>Attributes</h2>
        {stats.userAttributes && stats.userAttributes.length > 0 ? (
          <div className="table-scroll">
            <table className="data" data-testid="data-sheet-attributes">
              <thead><tr><th>User attribute</th><th className="num">Distinct</th><th className="num">Missing</th><th>Most common</th></tr></thead>
              <tbody>
                {stats.userAttributes.map((a) => (
                  <tr key={a.name}><td>{a.name}</td><td className="num">{a.distinct}</td><td className="num">{a.missing}</td><td>{a.top.slice(0, 5).map((t) => `${t.value} (${t.count})`).join(", ")}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : <p>No user attributes.</p>}
        {stats.itemAttributes ? (
          <p>Items with a title: {stats.itemAttributes.withTitle}; with genres or categories: {stats.itemAttributes.withGenres}; with text: {stats.itemAttributes.withText}.{stats.itemAttributes.topGenres.length > 0 ? ` Most common genres: ${stats.itemAttributes.topGenres.slice(0, 8).map((g) => g.value).join(", ")}.` : ""}</p>
        ) : <p>No item attributes.</p>}
        <ul className="sentences">{sheet.fairness.map((f) => <li key={f}>{f}</li>)}</ul>
      </div>
      <div className="panel">
        <h2>Preprocessing applied</h2>
        <ul className="sentences mono">{sheet.preprocessing.map((p) => <li key={p} style={{ wordBreak: "break-word" }}>{p}</li>)}</ul>
      </div>
      <div className="panel">
        <h2>Personal data</h2>
        <ul className="sentences" data-testid="data-sheet-personal">{sheet.personalData.map((p) => <li key={p}>{p}</li>)}</ul>
      </div>
    </>
  );
}
