import "server-only";
import { csvHeaderLine, csvRowLines, type CsvColumn } from "../reports/csv";

const HEADERS = (fileName: string) => ({
  "content-type": "text/csv; charset=utf-8",
  "content-disposition": `attachment; filename="${fileName}"`,
  "x-content-type-options": "nosniff",
});

/** A CSV download; the file name is a fixed, server-chosen string. */
export function csvResponse(fileName: string, csv: string): Response {
  return new Response(csv, { headers: HEADERS(fileName) });
}

/**
 * A CSV download written page by page as the client reads it: the header, then each page of
 * `pages` (an async iterable that fetches the next page only when asked), so an export of any
 * length holds one page in memory and a client that hangs up stops the reads.
 */
export function csvStreamResponse<T>(fileName: string, columns: CsvColumn<T>[], pages: AsyncIterable<T[]>): Response {
  const encoder = new TextEncoder();
  const iterator = pages[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvHeaderLine(columns)));
    },
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(csvRowLines(next.value, columns)));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, { headers: HEADERS(fileName) });
}
