/**
 * Remix v2, classic compiler. The server build is ESM and imported by server/index.ts.
 * Lazy route discovery is off: with it, the server would name route modules at run time
 * (/__manifest), outside the hashes the page's import map fixes (ADR 0028).
 */
export default {
  ignoredRouteFiles: ['**/.*', '**/*.test.*'],
  serverModuleFormat: 'esm',
  serverBuildPath: 'build/index.js',
  assetsBuildDirectory: 'public/build',
  publicPath: '/build/',
  serverDependenciesToBundle: [],
  future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: false },
}
