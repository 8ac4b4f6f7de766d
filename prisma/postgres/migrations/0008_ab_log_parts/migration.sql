-- An imported A/B log travels to the worker through the database (in parts), not through the
-- web server's disk, so workers on other machines can run the import. Base64 text: a
-- Bytes value crosses the driver adapter as one JavaScript number per byte (slow, blocking).

-- CreateTable
CREATE TABLE "AbTestLogPart" (
    "id" TEXT NOT NULL,
    "abTestId" TEXT NOT NULL,
    "part" INTEGER NOT NULL,
    "base64" TEXT NOT NULL,

    CONSTRAINT "AbTestLogPart_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AbTestLogPart_abTestId_part_key" ON "AbTestLogPart"("abTestId", "part");

-- AddForeignKey
ALTER TABLE "AbTestLogPart" ADD CONSTRAINT "AbTestLogPart_abTestId_fkey" FOREIGN KEY ("abTestId") REFERENCES "AbTest"("id") ON DELETE CASCADE ON UPDATE CASCADE;
