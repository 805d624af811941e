import type { ThreadModel } from '#common/thread-model'

/**
 * What the reporter is told when the inbox's key log does not trace from what their receipt saw
 * before: in plain words, at the top, and in place of the message box, since nothing is sealed.
 */
export function KeyLogAlert({ keyLog }: { keyLog: ThreadModel['keyLog'] }) {
  if (keyLog !== 'broken') return null
  return (
    <div className="error-summary" role="alert" data-key-log="broken">
      <h2>The inbox&rsquo;s keys are not the ones your report was sealed to</h2>
      <p>
        The record of the inbox&rsquo;s keys that this site shows does not follow on from the one it showed when you last came. Someone may be trying to read
        what you send next, so nothing more can be sent from here. Tell Professional Standards through another route.
      </p>
    </div>
  )
}

/** In place of the message box when nothing can be sealed. */
export function CannotSeal({ keyLog }: { keyLog: ThreadModel['keyLog'] }) {
  return (
    <p className="notice" data-cannot-seal>
      {keyLog === 'unlogged'
        ? 'The inbox is moving to a new way of checking its keys, so new messages cannot be sent for now. Try again in a day or two.'
        : 'The inbox keys could not be verified, so new messages cannot be sent safely right now.'}
    </p>
  )
}
