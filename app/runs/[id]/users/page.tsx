import { redirect } from "next/navigation";
import { requirePagePrincipal } from "@/lib/server/page-auth";

export const dynamic = "force-dynamic";

// The user picker's GET target: forwards to the user's drill-down page.
export default async function PickUserPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ user?: string }> }) {
  const [{ id }, { user }] = await Promise.all([params, searchParams]);
  await requirePagePrincipal("run:inspect-user");
  redirect(user?.trim() ? `/runs/${id}/users/${encodeURIComponent(user.trim())}` : `/runs/${id}`);
}
