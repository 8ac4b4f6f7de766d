"use client";
import { useEffect, useId, useRef, useState } from "react";
import type { ReportFormat } from "@/lib/reports/document";
import { exportHref, type ExportableTarget } from "@/lib/reports/report-target";
import { ShareDialog } from "./share-dialog";

const FORMATS: { format: ReportFormat; label: string }[] = [
  { format: "html", label: "HTML (self-contained, offline)" },
  { format: "pdf", label: "PDF" },
  { format: "csv", label: "CSV (tables)" },
  { format: "json", label: "JSON (the report document)" },
];

/**
 * The Export menu of a report page: a disclosure button with download links for every format,
 * and "Share link…" for those who may create read-only links while sharing is on.
 */
export function ExportMenu({ target, mayShare, label = "Export" }: { target: ExportableTarget; mayShare: boolean; label?: string }) {
  const [open, setOpen] = useState(false);
  const [sharing, setSharing] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div className="export-menu" ref={root} data-testid="export-menu">
      <button ref={button} type="button" className="secondary" aria-expanded={open} aria-controls={menuId} onClick={() => setOpen((o) => !o)}>
        {label} ▾
      </button>
      <ul id={menuId} className="export-menu-list" hidden={!open}>
        {FORMATS.map(({ format, label: text }) => (
          <li key={format}>
            <a href={exportHref(target, format)} download onClick={() => setOpen(false)} data-testid={`export-${format}`}>
              {text}
            </a>
          </li>
        ))}
        {mayShare ? (
          <li>
            <button
              type="button"
              className="link-like"
              onClick={() => {
                setOpen(false);
                setSharing(true);
              }}
            >
              Share link…
            </button>
          </li>
        ) : null}
      </ul>
      {sharing ? <ShareDialog target={target} onClose={() => setSharing(false)} /> : null}
    </div>
  );
}
