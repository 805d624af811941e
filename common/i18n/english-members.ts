/**
 * The members group in English, for the key rotations the review home runs unasked: that page is
 * not sent the group's words, and its progress lines still have to read as sentences.
 */
export { default as englishMembers } from './en/members.json'
