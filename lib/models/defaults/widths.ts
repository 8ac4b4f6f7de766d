/**
 * The user autoencoders' default layer widths, in one dependency-free place: the model schemas
 * (cdae.ts, mult-dae.ts, mult-vae.ts), the adaptive work budget (./adaptive.ts) and the cost
 * models (lib/training/cost-model.ts runs in the launch form, in the browser) all read them here.
 */
export const AUTOENCODER_WIDTHS = {
  /** CDAE's hidden layer: 600 (docs/benchmarks/defaults.md, "CDAE 600 units wide"). */
  cdae: 600,
  /** Mult-DAE's hidden layer (Liang et al.'s 200). */
  "mult-dae": 200,
  /** Mult-VAE's latent dimensions (Liang et al.'s 200); its hidden layer is off by default. */
  "mult-vae": 200,
} as const;
