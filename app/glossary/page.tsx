import { GLOSSARY, GLOSSARY_CATEGORY_LABELS, type GlossaryCategory } from "@/lib/glossary";
import { METRICS } from "@/lib/metrics/registry";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

const ORDER: GlossaryCategory[] = ["accuracy", "beyond-accuracy", "rating", "statistics", "protocol", "online"];
const direction = new Map(METRICS.map((m) => [m.id, m]));

/** Every metric and term the pages use, in plain words; tooltips link here. */
export default async function GlossaryPage() {
  await requirePagePrincipal("run:read");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Glossary</h1>
          <div className="sub">What the metrics and statistical terms on these pages mean. Hover, focus or tap a dotted term anywhere to see its entry.</div>
        </div>
      </div>
      <nav className="panel actions" aria-label="Glossary sections">
        {ORDER.map((c) => <a key={c} href={`#section-${c}`}>{GLOSSARY_CATEGORY_LABELS[c]}</a>)}
      </nav>
      {ORDER.map((category) => (
        <section key={category} className="panel" aria-labelledby={`section-${category}`}>
          <h2 id={`section-${category}`}>{GLOSSARY_CATEGORY_LABELS[category]}</h2>
          <dl className="glossary">
            {GLOSSARY.filter((e) => e.category === category).map((e) => {
              const metric = direction.get(e.id);
              return (
                <div key={e.id} id={e.id} data-testid="glossary-entry">
                  <dt>{e.term}{metric ? <span className="muted"> · {metric.higherIsBetter ? "higher is better ↑" : "lower is better ↓"}</span> : null}</dt>
                  <dd>
                    {e.short}
                    {e.long ? <span className="muted">{e.long}</span> : null}
                    {metric ? <span className="muted">Definition: {metric.description}</span> : null}
                  </dd>
                </div>
              );
            })}
          </dl>
        </section>
      ))}
    </>
  );
}
