/** Opens a test user's drill-down by user id (pseudonymised ids where the dataset holds personal data). */
export function UserPicker({ runId, value = "", personal = false }: { runId: string; value?: string; personal?: boolean }) {
  return (
    <form method="get" action={`/runs/${runId}/users`} className="actions" data-testid="user-picker">
      <label htmlFor="drill-user">{personal ? "Pseudonymised user id" : "User id"}</label>
      <input id="drill-user" name="user" defaultValue={value} required maxLength={200} />
      <button type="submit">Inspect user</button>
    </form>
  );
}
