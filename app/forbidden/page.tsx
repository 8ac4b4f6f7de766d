import Link from "next/link";

export default function ForbiddenPage() {
  return (
    <div className="panel">
      <h1>Not allowed</h1>
      <p>Your role does not allow this page. Ask an admin if you need access.</p>
      <Link href="/">Back to the overview</Link>
    </div>
  );
}
