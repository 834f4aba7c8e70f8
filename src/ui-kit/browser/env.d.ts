// Stylesheets imported by browser entries become part of the bundle's CSS (src/ui-kit/bundle.ts).
declare module "*.css" {}
