/**
 * The words of the header and the error page in English, for a page the root loader never ran
 * for (an address no route matches). A named import, so the browser bundle carries this one group
 * and not the whole catalogue.
 */
export { root as englishRoot } from './en.json'
