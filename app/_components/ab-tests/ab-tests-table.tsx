"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { AbTestListItem } from "@/lib/server/ab-test-views";
import { fetchJson } from "../ui/fetch-json";
import { ProgressBar } from "../ui/progress-bar";
import { StatusBadge } from "../ui/status-badge";
import { pollWithBackoff } from "@/app/_components/ui/poll-backoff";

const isOpen = (status: string) => status === "QUEUED" || status === "RUNNING";

const pollAbTests = pollWithBackoff<{ abTests: AbTestListItem[] }>({ open: (d) => d.abTests.some((t) => isOpen(t.status)), idle: 15_000 });

/** A/B tests, live while any runs: name, source, arms, status and the headline verdict. */
export function AbTestsTable({ initial, limit = 50 }: { initial: AbTestListItem[]; limit?: number }) {
  const { data } = useQuery({
    queryKey: ["ab-tests", limit],
    queryFn: () => fetchJson<{ abTests: AbTestListItem[] }>(`/api/ab-tests?limit=${limit}`),
    initialData: { abTests: initial },
    refetchInterval: pollAbTests,
  });
  if (data.abTests.length === 0) return <div className="empty">No A/B tests yet.</div>;
  return (
    <div className="table-scroll">
      <table className="data" data-testid="ab-tests-table">
        <thead>
          <tr>
            <th>Test</th>
            <th className="prio-2">Source</th>
            <th className="prio-2">Arms</th>
            <th>Status</th>
            <th>Verdict</th>
          </tr>
        </thead>
        <tbody>
          {data.abTests.map((t) => (
            <tr key={t.id}>
              <td><Link href={`/ab-tests/${t.id}`}>{t.name}</Link></td>
              <td className="prio-2">{t.source}{t.datasetName ? <span className="muted"> · {t.datasetName}</span> : null}</td>
              <td className="prio-2">{t.arms.map((a) => `${a.armId}: ${a.label}`).join(" vs ") || "–"}</td>
              <td style={{ minWidth: 140 }}>
                {isOpen(t.status) ? <ProgressBar value={t.progress} text={t.progressText ?? t.status.toLowerCase()} /> : <StatusBadge status={t.status} />}
              </td>
              <td className="ab-headline">
                {t.srmMismatch ? <span className="tone-worse">Sample ratio mismatch · </span> : null}
                {t.headline ?? (t.status === "FAILED" ? <span className="muted">{t.error}</span> : <span className="muted">–</span>)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
