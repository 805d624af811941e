/**
 * The picture-metadata stripper loads only when a file is chosen or previewed, as the crypto
 * does, so the first page view ships neither.
 */
export const loadMetadata = () => import('#common/metadata/index')
