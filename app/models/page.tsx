import { listModelInfos } from "@/lib/server/list-models";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

export default async function ModelsPage() {
  await requirePagePrincipal("model:read");
  const models = listModelInfos();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Models</h1>
          <div className="sub">Every registered model with its paper and hyperparameters; the launch form is generated from these.</div>
        </div>
      </div>
      {models.map((m) => (
        <section key={m.id} className="panel" data-testid={`model-${m.id}`}>
          <h2>
            {m.displayName} <code className="muted">{m.id}</code>
          </h2>
          <p>{m.summary}</p>
          {m.paper ? (
            <p className="muted">
              {m.paper.authors} ({m.paper.year}). {m.paper.url ? <a href={m.paper.url}>{m.paper.title}</a> : m.paper.title}. <em>{m.paper.venue}</em>.
            </p>
          ) : null}
          <p>
            <span className="tag">feedback: {m.feedback}</span>
            <span className="tag">input: {m.input}</span>
            <span className="tag">training: {m.training}</span>
          </p>
          {m.params.length === 0 ? (
            <p className="muted">No hyperparameters: nothing to tune.</p>
          ) : (
            // Scrolls sideways inside itself on a phone; focusable so keyboard users can scroll it too.
            <div className="scroll-x" tabIndex={0} role="region" aria-label={`${m.displayName} hyperparameters`}>
              <table className="data">
                <thead>
                  <tr><th>Hyperparameter</th><th>Type</th><th>Default</th><th>Range</th><th>Meaning</th></tr>
                </thead>
                <tbody>
                  {m.params.map((p) => (
                    <tr key={p.name}>
                      <td><code>{p.name}</code></td>
                      <td>{p.kind === "enum" ? p.options?.join(" | ") : p.kind}</td>
                      <td>{p.default === undefined ? "–" : String(p.default)}</td>
                      <td>{p.min !== undefined || p.max !== undefined ? `${p.min ?? "−∞"} … ${p.max ?? "∞"}` : "–"}</td>
                      <td className="muted">{p.description ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
    </>
  );
}
