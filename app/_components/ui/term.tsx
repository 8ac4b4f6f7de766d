"use client";
import { useEffect, useId, useRef, useState, type CSSProperties, type ReactNode } from "react";
import { glossaryEntry, metricGlossaryEntry, type GlossaryEntry } from "@/lib/glossary";
import { metricLabel } from "@/lib/metrics/registry";

const TIP_WIDTH = 280;

/**
 * A term with its glossary explanation: a button-like abbreviation whose tooltip opens on hover,
 * on keyboard focus and on tap (touch), closes on Escape, and is always its accessible
 * description (aria-describedby), so screen readers read it without opening. The tooltip is
 * fixed to the viewport: tables that scroll sideways do not clip it and it never widens the page.
 */
export function Term({ id, children }: { id: string; children?: ReactNode }) {
  const entry = glossaryEntry(id);
  return entry ? <Tip entry={entry}>{children ?? entry.term}</Tip> : <>{children}</>;
}

/** A metric's label ("NDCG@10") with its glossary tooltip. */
export function MetricTerm({ metricKey, children }: { metricKey: string; children?: ReactNode }) {
  const entry = metricGlossaryEntry(metricKey);
  const label = children ?? safeLabel(metricKey);
  return entry ? <Tip entry={entry}>{label}</Tip> : <>{label}</>;
}

function safeLabel(key: string): string {
  try {
    return metricLabel(key);
  } catch {
    return key;
  }
}

function Tip({ entry, children }: { entry: GlossaryEntry; children: ReactNode }) {
  const tipId = useId();
  const anchor = useRef<HTMLButtonElement>(null);
  const [hover, setHover] = useState(false);
  const [focus, setFocus] = useState(false);
  const [pinned, setPinned] = useState(false);
  const [position, setPosition] = useState<CSSProperties>({});
  const open = hover || focus || pinned;

  useEffect(() => {
    if (!open || !anchor.current) return;
    const rect = anchor.current.getBoundingClientRect();
    const width = Math.min(TIP_WIDTH, window.innerWidth - 16);
    const left = Math.max(8, Math.min(rect.left, window.innerWidth - width - 8));
    const below = rect.bottom + 6;
    setPosition(below + 120 < window.innerHeight ? { top: below, left, width } : { bottom: window.innerHeight - rect.top + 6, left, width });
    const close = (event: KeyboardEvent) => {
      if (event.key === "Escape") setHover(false), setFocus(false), setPinned(false);
    };
    const hide = () => (setHover(false), setPinned(false));
    document.addEventListener("keydown", close);
    window.addEventListener("scroll", hide, true);
    return () => {
      document.removeEventListener("keydown", close);
      window.removeEventListener("scroll", hide, true);
    };
  }, [open]);

  return (
    <span className="term" onMouseEnter={() => setHover(true)} onMouseLeave={() => setHover(false)}>
      <button
        ref={anchor}
        type="button"
        className="term-button"
        aria-describedby={tipId}
        aria-expanded={open}
        data-term={entry.id}
        onFocus={() => setFocus(true)}
        onBlur={() => (setFocus(false), setPinned(false))}
        onClick={() => setPinned((p) => !p)}
      >
        {children}
      </button>
      <span role="tooltip" id={tipId} className="term-tip" hidden={!open} style={position}>
        <strong>{entry.term}</strong> {entry.short}{" "}
        <a href={`/glossary#${entry.id}`} tabIndex={-1}>More in the glossary</a>
      </span>
    </span>
  );
}
