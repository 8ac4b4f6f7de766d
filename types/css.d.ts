// Stylesheets are imported for their side effects (Next.js bundles them).
declare module "*.css";
