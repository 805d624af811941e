import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { StartActions } from '~/reporter/start-actions'

export const loader = async ({ context }: LoaderFunctionArgs) => ({
  inboxes: (await context.services.inboxes.list()).map((i) => ({ name: i.name, description: i.description })),
})

export default function Landing() {
  const { inboxes } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Report racism, sexism, homophobia and bullying, safely</h1>
      <p className="lead">
        Seen or been on the end of something passed off as &ldquo;banter&rdquo;? Tell the people who can act on it, without giving your name.
      </p>
      <StartActions />

      <section aria-labelledby="readers">
        <h2 id="readers">Who reads your report</h2>
        {inboxes.length === 0 ? (
          <p>Reports are not yet being accepted here. Please come back later.</p>
        ) : (
          <ul className="plain-list">
            {inboxes.map((i) => (
              <li key={i.name}>
                <strong>{i.name}</strong>
                {i.description ? <>: {i.description}</> : null}
              </li>
            ))}
          </ul>
        )}
        <p>Only they can open it. The people who run this website cannot read it.</p>
      </section>

      <section aria-labelledby="recorded">
        <h2 id="recorded">What is and is not recorded</h2>
        <div className="two-lists">
          <div>
            <h3>We keep</h3>
            <ul>
              <li>Your report, sealed so only the reviewers can open it</li>
              <li>The day it arrived (not the time)</li>
              <li>Its status, such as &ldquo;acknowledged&rdquo;</li>
            </ul>
          </div>
          <div>
            <h3>We never keep</h3>
            <ul>
              <li>Your name, unless you choose to give it</li>
              <li>Your IP address, phone or browser details</li>
              <li>Cookies or trackers</li>
              <li>Your receipt code</li>
            </ul>
          </div>
        </div>
        <p>
          After you send, you get a <strong>receipt code</strong>. It is the only way back to your report: use it to read replies and add more. Nobody can
          recover it for you.
        </p>
      </section>

      <section aria-labelledby="safety" className="callout">
        <h2 id="safety">Before you start: stay safe</h2>
        <ul>
          <li>
            Use <strong>your own phone or computer</strong>, not a force device.
          </li>
          <li>
            Use <strong>mobile data or your home internet</strong>, not force Wi-Fi, which may be monitored.
          </li>
          <li>
            For the most protection, use <strong>Tor Browser</strong> (free for Android, iPhone and computers). This site works in Tor Browser&rsquo;s
            &ldquo;Safest&rdquo; mode.
          </li>
          <li>A private or incognito window leaves less behind on your device.</li>
          <li>Think about what you write: a detail only you could know can identify you. Leave out what you are not sure about.</li>
        </ul>
        <p>
          If someone comes near, use <strong>Quick exit</strong> at the top of every page (or, on a keyboard, press Shift three times).
        </p>
        <p>
          <Link to="/safer">More on reporting safely</Link>: Tor Browser, private windows, keeping your receipt code.
        </p>
      </section>
    </>
  )
}
