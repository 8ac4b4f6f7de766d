import fs from "node:fs";
import path from "node:path";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Every GET route handler under app/api, with its URL path. */
export async function discoverGetRoutes(): Promise<{ path: string; handler: Handler }[]> {
  const app = path.resolve("app");
  const out: { path: string; handler: Handler }[] = [];
  const walk = async (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name === "route.ts") {
        const mod = (await import(full)) as { GET?: Handler };
        if (mod.GET) out.push({ path: "/" + path.relative(app, dir).split(path.sep).join("/"), handler: mod.GET });
      }
    }
  };
  await walk(path.join(app, "api"));
  return out;
}
