import { postOnlyLoader } from '~/lib/http.server'
import { reviewerAction } from '~/lib/reviewer-api.server'
import { inviteUrl } from '../../server/reviewers/invites.server'

export const loader = postOnlyLoader

/** An admin's new invitation: the link is answered once and never stored (only its hash is). */
export const action = reviewerAction(async (s, reviewerId, body) => {
  const { token, expiresAt } = await s.invites.create(reviewerId, body)
  return { link: inviteUrl(s.config.publicUrl, token), expiresAt }
}, 201)
