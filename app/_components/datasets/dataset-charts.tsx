"use client";
import type { DatasetStats } from "@/lib/datasets/stats";
import { BarChartCard } from "../charts/bar-chart-card";
import { LongTailChart } from "../charts/long-tail-chart";

/** The statistics page's charts: rating histogram, long tail, activity over time, attributes. */
export function DatasetCharts({ stats }: { stats: DatasetStats }) {
  return (
    <>
      <div className="grid two">
        <section className="panel" data-testid="chart-long-tail">
          <h2>Item popularity (long tail, log scale)</h2>
          <p className="muted">The top 20% of items receive {(stats.topItemsShare * 100).toFixed(1)}% of all interactions.</p>
          <LongTailChart data={stats.itemPopularity} />
        </section>
        <section className="panel" data-testid="chart-ratings">
          <h2>Rating histogram</h2>
          {stats.ratingHistogram ? (
            <BarChartCard data={stats.ratingHistogram} xKey="rating" yKey="count" yLabel="ratings" />
          ) : (
            <div className="empty">Implicit feedback: no ratings to plot.</div>
          )}
        </section>
      </div>
      <div className="grid two">
        <section className="panel" data-testid="chart-time">
          <h2>Interactions over time{stats.timeGranularity ? ` (per ${stats.timeGranularity})` : ""}</h2>
          {stats.interactionsOverTime ? (
            <BarChartCard data={stats.interactionsOverTime} xKey="period" yKey="count" yLabel="interactions" />
          ) : (
            <div className="empty">This dataset has no timestamps.</div>
          )}
        </section>
        <section className="panel">
          <h2>Item attributes</h2>
          {stats.itemAttributes ? (
            <>
              <p className="muted">
                {stats.itemAttributes.withTitle.toLocaleString("en-US")} items with a title, {stats.itemAttributes.withGenres.toLocaleString("en-US")} with genres, {stats.itemAttributes.withText.toLocaleString("en-US")} with text.
              </p>
              <BarChartCard data={stats.itemAttributes.topGenres} xKey="value" yKey="count" yLabel="items" />
            </>
          ) : (
            <div className="empty">No item metadata was imported.</div>
          )}
        </section>
      </div>
    </>
  );
}
