import { createHash } from 'node:crypto'

// Fixed lists: changing them renames every report and reviewer, so only ever append.
const ADJECTIVES = ['Amber', 'Ash', 'Birch', 'Blue', 'Bright', 'Calm', 'Cedar', 'Clear', 'Copper', 'Coral', 'Crisp', 'Dawn', 'Deep', 'Dune', 'Elm', 'Fern', 'Flint', 'Frost', 'Gold', 'Granite', 'Green', 'Hazel', 'Ivory', 'Jade', 'Juniper', 'Lark', 'Linen', 'Maple', 'Meadow', 'Mist', 'Moss', 'Oak', 'Olive', 'Opal', 'Pearl', 'Pine', 'Quiet', 'Rain', 'Reed', 'River', 'Rose', 'Rowan', 'Rust', 'Sage', 'Salt', 'Sand', 'Silver', 'Slate', 'Snow', 'Spruce', 'Stone', 'Storm', 'Summer', 'Swift', 'Teal', 'Thistle', 'Tide', 'Violet', 'Willow', 'Winter', 'Wren', 'Yew', 'Zephyr', 'Indigo']
const NOUNS = ['Anchor', 'Arch', 'Bay', 'Beacon', 'Bridge', 'Brook', 'Canyon', 'Cape', 'Cliff', 'Cove', 'Creek', 'Crest', 'Delta', 'Dell', 'Field', 'Fjord', 'Ford', 'Forest', 'Garden', 'Glade', 'Glen', 'Grove', 'Harbour', 'Heath', 'Hill', 'Hollow', 'Island', 'Lagoon', 'Lake', 'Lantern', 'Ledge', 'Marsh', 'Mesa', 'Mill', 'Moor', 'Orchard', 'Pass', 'Path', 'Peak', 'Pier', 'Pond', 'Quarry', 'Ridge', 'Sound', 'Spring', 'Stream', 'Summit', 'Terrace', 'Tower', 'Trail', 'Vale', 'Valley', 'View', 'Well', 'Wharf', 'Wood', 'Yard', 'Gate', 'Haven', 'Knoll', 'Lea', 'Loch', 'Shore', 'Weir']
const BIRDS = ['Avocet', 'Bittern', 'Bunting', 'Buzzard', 'Chaffinch', 'Chiffchaff', 'Crane', 'Curlew', 'Dipper', 'Dunlin', 'Dunnock', 'Egret', 'Eider', 'Fieldfare', 'Firecrest', 'Fulmar', 'Gannet', 'Godwit', 'Goldcrest', 'Goldfinch', 'Goshawk', 'Grebe', 'Greenfinch', 'Guillemot', 'Harrier', 'Heron', 'Hobby', 'Hoopoe', 'Jackdaw', 'Kestrel', 'Kingfisher', 'Kittiwake', 'Lapwing', 'Linnet', 'Mallard', 'Martin', 'Merlin', 'Nightingale', 'Nightjar', 'Nuthatch', 'Oriole', 'Osprey', 'Ouzel', 'Peregrine', 'Petrel', 'Pipit', 'Plover', 'Puffin', 'Redpoll', 'Redshank', 'Redstart', 'Redwing', 'Robin', 'Sanderling', 'Shearwater', 'Siskin', 'Skylark', 'Starling', 'Stonechat', 'Swallow', 'Swift', 'Tern', 'Wagtail', 'Warbler']

const digest = (label: string, id: string) => createHash('sha256').update(`candour-${label}-v1\n${id}`).digest()

/** Two words from the random report id (never the receipt), so reviewers can talk about a report. */
export function reportPseudonym(reportId: string): string {
  const h = digest('report-name', reportId)
  return `${ADJECTIVES[h[0] % ADJECTIVES.length]} ${NOUNS[h[1] % NOUNS.length]}`
}

/** What reporters see instead of a reviewer's name: stable per reviewer, names no one. */
export function reviewerPseudonym(reviewerId: string): string {
  return `Reviewer ${BIRDS[digest('reviewer-name', reviewerId)[0] % BIRDS.length]}`
}
