"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";

/** The user-group attribute of a bias report, kept in the URL (?groupBy=). */
export function GroupBySelect({ options, value }: { options: string[]; value: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  if (options.length === 0) return null;
  return (
    <label className="actions">
      <span>Group users by</span>
      <select
        aria-label="Group users by"
        value={value}
        style={{ width: "auto" }}
        onChange={(event) => {
          const params = new URLSearchParams(search.toString());
          params.set("groupBy", event.target.value);
          router.push(`${pathname}?${params.toString()}`);
        }}
      >
        {options.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    </label>
  );
}
