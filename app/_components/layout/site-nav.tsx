"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useState, type ReactNode } from "react";

/**
 * The main navigation. Wide screens always show it as a sidebar; under 768 px it collapses
 * behind a menu button (closed by default), opens and closes on click, closes on Escape and
 * after following a link.
 */
export function SiteNav({ links, footer }: { links: { href: string; label: string }[]; footer: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const panelId = useId();

  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  const matches = (href: string) => (href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`));
  // The most specific link is the current page ("/runs/new" rather than "/runs").
  const currentHref = links.map((l) => l.href).filter(matches).sort((x, y) => y.length - x.length)[0];
  const current = (href: string) => href === currentHref;
  return (
    <nav className="sidebar" aria-label="Main" data-open={open ? "true" : "false"}>
      <div className="nav-top">
        <Link href="/" className="brand" aria-label="RecLab overview">
          Rec<span>Lab</span>
        </Link>
        <button
          type="button"
          className="menu-button"
          aria-expanded={open}
          aria-controls={panelId}
          onClick={() => setOpen((o) => !o)}
          data-testid="nav-toggle"
        >
          <svg aria-hidden="true" width="18" height="18" viewBox="0 0 18 18">
            {open ? <path d="M4 4l10 10M14 4L4 14" stroke="currentColor" strokeWidth="2" /> : <path d="M2 4h14M2 9h14M2 14h14" stroke="currentColor" strokeWidth="2" />}
          </svg>
          <span>{open ? "Close menu" : "Menu"}</span>
        </button>
      </div>
      <div className="nav-panel" id={panelId} data-testid="nav-panel">
        {links.map((item) => (
          <Link key={item.href} href={item.href} aria-current={current(item.href) ? "page" : undefined}>
            {item.label}
          </Link>
        ))}
        <div className="footer">{footer}</div>
      </div>
    </nav>
  );
}
