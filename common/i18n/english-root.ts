/**
 * The words of the header and the error page in English, for a page the root loader never ran
 * for (an address no route matches). Only this group's file is bundled for the browser.
 */
export { default as englishRoot } from './en/root.json'
