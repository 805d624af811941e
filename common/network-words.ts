/**
 * What our fetches say when the server gave no words of its own (it could not be reached, or
 * answered without a refusal), in each page language. Too few for the catalogues, and needed
 * before any page has sent its messages; the Welsh is a draft for review like the catalogues'.
 */
export const NETWORK_WORDS = {
  en: {
    unreachable: 'Could not reach Candour. Check your connection and try again; nothing was sent.',
    refused: (status: number) => `The server refused the request (${status}).`,
  },
  cy: {
    unreachable: 'Nid oedd modd cyrraedd Candour. Gwiriwch eich cysylltiad a rhowch gynnig arall arni; ni anfonwyd dim.',
    refused: (status: number) => `Gwrthododd y gweinydd y cais (${status}).`,
  },
}
