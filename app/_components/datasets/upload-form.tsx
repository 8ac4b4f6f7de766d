"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { fetchJson } from "../ui/fetch-json";

type Format = "movielens-100k" | "movielens-dat" | "movielens-latest" | "amazon" | "csv";

const FORMATS: { id: Format; label: string; files: { ratings: string; items?: string; users?: string } }[] = [
  { id: "movielens-100k", label: "MovieLens 100K", files: { ratings: "u.data", items: "u.item (optional)", users: "u.user (optional)" } },
  { id: "movielens-dat", label: "MovieLens 1M / 10M (.dat)", files: { ratings: "ratings.dat", items: "movies.dat (optional)", users: "users.dat (optional)" } },
  { id: "movielens-latest", label: "MovieLens latest (ratings.csv)", files: { ratings: "ratings.csv", items: "movies.csv (optional)" } },
  { id: "amazon", label: "Amazon reviews (JSON lines, .gz ok)", files: { ratings: "reviews .json / .json.gz", items: "metadata (optional)" } },
  { id: "csv", label: "CSV / TSV with column mapping", files: { ratings: "interactions file" } },
];

const optionalNumber = (v: FormDataEntryValue | null) => (v === null || String(v).trim() === "" ? undefined : Number(v));

/** Upload form: streams the files to POST /api/datasets with format, mapping and preprocessing options. */
export function UploadForm() {
  const router = useRouter();
  const [format, setFormat] = useState<Format>("movielens-100k");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const spec = FORMATS.find((f) => f.id === format)!;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const kCoreUsers = optionalNumber(form.get("kCoreUsers"));
    const kCoreItems = optionalNumber(form.get("kCoreItems"));
    const threshold = optionalNumber(form.get("implicitThreshold"));
    const options = {
      ...(format === "csv"
        ? {
            csv: {
              delimiter: form.get("delimiter"),
              hasHeader: form.get("hasHeader") === "on",
              columns: {
                user: form.get("colUser"),
                item: form.get("colItem"),
                ...(String(form.get("colRating") ?? "") ? { rating: form.get("colRating") } : {}),
                ...(String(form.get("colTimestamp") ?? "") ? { timestamp: form.get("colTimestamp") } : {}),
              },
            },
          }
        : {}),
      preprocess: {
        dedupe: form.get("dedupe"),
        ...(kCoreUsers || kCoreItems ? { kCore: { users: kCoreUsers ?? 1, items: kCoreItems ?? 1 } } : {}),
        ...(threshold !== undefined ? { implicitThreshold: threshold } : {}),
      },
      personalData: form.get("personalData") === "on",
      dropFreeText: form.get("dropFreeText") === "on",
    };
    const body = new FormData();
    body.set("name", String(form.get("name") ?? ""));
    body.set("format", format);
    body.set("options", JSON.stringify(options));
    for (const field of ["ratings", "items", "users"] as const) {
      const file = form.get(field);
      // A chosen file is sent even when empty, so the server can say so; no choice sends nothing.
      if (file instanceof File && (file.size > 0 || file.name !== "")) body.set(field, file, file.name);
    }
    setBusy(true);
    setError(null);
    try {
      const created = await fetchJson<{ id: string }>("/api/datasets", { method: "POST", body });
      router.push(`/datasets/${created.id}`);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="Import a dataset">
      {error ? <div className="alert error" role="alert" data-testid="upload-error">{error}</div> : null}
      <div className="row">
        <div className="field">
          <label htmlFor="ds-name">Name</label>
          <input id="ds-name" name="name" type="text" required placeholder="e.g. MovieLens 100K" />
        </div>
        <div className="field">
          <label htmlFor="ds-format">Format</label>
          <select id="ds-format" name="format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            {FORMATS.map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
          </select>
        </div>
      </div>
      <div className="row">
        <div className="field">
          <label htmlFor="file-ratings">{spec.files.ratings}</label>
          <input id="file-ratings" name="ratings" type="file" required />
        </div>
        {spec.files.items ? (
          <div className="field">
            <label htmlFor="file-items">{spec.files.items}</label>
            <input id="file-items" name="items" type="file" />
          </div>
        ) : null}
        {spec.files.users ? (
          <div className="field">
            <label htmlFor="file-users">{spec.files.users}</label>
            <input id="file-users" name="users" type="file" />
          </div>
        ) : null}
      </div>
      {format === "csv" ? (
        <fieldset>
          <legend>Columns</legend>
          <div className="row">
            <div className="field">
              <label htmlFor="delimiter">Delimiter</label>
              <select id="delimiter" name="delimiter" defaultValue="auto">
                <option value="auto">detect</option>
                <option value=",">comma</option>
                <option value={"\t"}>tab</option>
                <option value=";">semicolon</option>
                <option value="|">pipe</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="hasHeader">First line is a header</label>
              <input id="hasHeader" name="hasHeader" type="checkbox" defaultChecked />
            </div>
            <div className="field"><label htmlFor="colUser">User column</label><input id="colUser" name="colUser" type="text" defaultValue="user_id" /></div>
            <div className="field"><label htmlFor="colItem">Item column</label><input id="colItem" name="colItem" type="text" defaultValue="item_id" /></div>
            <div className="field"><label htmlFor="colRating">Rating column (optional)</label><input id="colRating" name="colRating" type="text" defaultValue="rating" /></div>
            <div className="field"><label htmlFor="colTimestamp">Timestamp column (optional)</label><input id="colTimestamp" name="colTimestamp" type="text" defaultValue="timestamp" /></div>
          </div>
          <span className="hint muted">Names when there is a header, 0-based positions otherwise.</span>
        </fieldset>
      ) : null}
      <fieldset>
        <legend>Preprocessing</legend>
        <div className="row">
          <div className="field">
            <label htmlFor="dedupe">Duplicate (user, item) pairs</label>
            <select id="dedupe" name="dedupe" defaultValue="keep-latest">
              <option value="keep-latest">keep the latest</option>
              <option value="keep-first">keep the first</option>
              <option value="none">keep all</option>
            </select>
          </div>
          <div className="field"><label htmlFor="kCoreUsers">k-core: min interactions per user</label><input id="kCoreUsers" name="kCoreUsers" type="number" min={1} step={1} /></div>
          <div className="field"><label htmlFor="kCoreItems">k-core: min interactions per item</label><input id="kCoreItems" name="kCoreItems" type="number" min={1} step={1} /></div>
          <div className="field">
            <label htmlFor="implicitThreshold">Implicit threshold</label>
            <input id="implicitThreshold" name="implicitThreshold" type="number" step="any" />
            <span className="hint">Keep ratings ≥ threshold as positives; leave empty to keep explicit ratings.</span>
          </div>
          <div className="field">
            <label htmlFor="personalData">Contains personal data</label>
            <input id="personalData" name="personalData" type="checkbox" />
            <span className="hint">User ids are replaced by salted hashes at import; zip codes are dropped.</span>
          </div>
          <div className="field">
            <label htmlFor="dropFreeText">Drop free-text fields</label>
            <input id="dropFreeText" name="dropFreeText" type="checkbox" />
          </div>
        </div>
      </fieldset>
      <button type="submit" disabled={busy}>{busy ? "Importing…" : "Import dataset"}</button>
    </form>
  );
}
