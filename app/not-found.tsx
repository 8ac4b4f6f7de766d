import Link from "next/link";

/** Any unknown address, and every `notFound()` (a run, dataset or experiment that does not exist or is not yours). */
export default function NotFound() {
  return (
    <div className="panel status-page" data-testid="not-found">
      <p className="status-code" aria-hidden="true">404</p>
      <h1>Page not found</h1>
      <p>There is nothing at this address, or it belongs to a team you are not in. Runs, datasets and experiments that were deleted end up here too.</p>
      <div className="actions">
        <Link className="button" href="/">Back to the overview</Link>
        <Link className="button secondary" href="/runs">Runs</Link>
        <Link className="button secondary" href="/datasets">Datasets</Link>
      </div>
    </div>
  );
}
