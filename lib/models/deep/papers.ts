import type { PaperReference } from "../types";

/** Mult-DAE and Mult-VAE come from the same paper. */
export const LIANG_2018: PaperReference = {
  authors: "Dawen Liang, Rahul G. Krishnan, Matthew D. Hoffman, Tony Jebara",
  title: "Variational Autoencoders for Collaborative Filtering",
  venue: "WWW",
  year: 2018,
  url: "https://arxiv.org/abs/1802.05814",
};
