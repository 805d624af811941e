import type { MetaFunction } from '@remix-run/node'
import { StartActions } from '~/reporter/start-actions'

export const meta: MetaFunction = () => [{ title: 'Safer reporting · Candour' }]

/**
 * How to report without leaving traces: plain advice for an officer on their own phone. Static,
 * server-rendered and complete without JavaScript (Tor Browser "Safest"). What it promises about
 * records must match docs/threat-model.md.
 */
export default function Safer() {
  return (
    <>
      <h1>Safer reporting</h1>
      <p className="lead">A few simple steps make it much harder for anyone to find out you used this site.</p>

      <section aria-labelledby="own-phone">
        <h2 id="own-phone">Use your own phone, not a force one</h2>
        <ul>
          <li>
            Use <strong>your own phone or computer</strong>. Do not use a force phone, laptop or desktop. The force can see what happens on its own devices, and
            nothing on this site can stop that.
          </li>
          <li>
            Use <strong>mobile data or your home internet</strong>. Do not use force Wi-Fi. It cannot show what you write, but it can record that this site was
            visited, and when.
          </li>
          <li>Avoid a phone or tablet that someone else uses or checks.</li>
        </ul>
      </section>

      <section aria-labelledby="tor">
        <h2 id="tor">Tor Browser: the most private way</h2>
        <p>
          Tor Browser is a free web browser. It sends your connection through several computers run by volunteers, so your network cannot see which sites you
          visit, and the sites cannot see where you are.
        </p>
        <ul>
          <li>
            Get it only from the Tor Project at <strong>torproject.org</strong>, or from your phone&rsquo;s official app store. On an Android phone, look for
            &ldquo;Tor Browser&rdquo; by The Tor Project. On an iPhone, the Tor Project recommends &ldquo;Onion Browser&rdquo;.
          </li>
          <li>
            Set its security level to <strong>&ldquo;Safest&rdquo;</strong>. On a phone it is in Settings, under Security Level. On a computer, use the shield
            icon. This turns off JavaScript. Every page of this site still works.
          </li>
          <li>
            With JavaScript off, your report is sealed on our server the moment it arrives, not on your phone. Only the sealed copy is kept. The page that shows
            your receipt code tells you which happened.
          </li>
        </ul>
      </section>

      <section aria-labelledby="private-window">
        <h2 id="private-window">A private window helps, but only a little</h2>
        <p>
          A private window (called &ldquo;incognito&rdquo; in some browsers) forgets this visit when you close it. Your browser history will not list this site
          or page names like &ldquo;Make a report&rdquo;.
        </p>
        <p>It does not hide your visit from:</p>
        <ul>
          <li>force Wi-Fi, your internet provider, or anyone else who can watch the network</li>
          <li>monitoring software on the phone, such as on a force device</li>
          <li>screenshots, or someone looking over your shoulder</li>
        </ul>
        <p>When you finish, close every private tab.</p>
      </section>

      <section aria-labelledby="receipt" className="callout">
        <h2 id="receipt">Your receipt code</h2>
        <p>
          When you send a report, you get a <strong>receipt code</strong>: five groups of four characters and one more, like ABCD-EFGH-JKMN-PQRS-TVWX-Y. It is
          the only way back to your report. With it you can read replies, answer questions and add more. We do not keep it, so we cannot send it to you again.
        </p>
        <h3>Keeping it</h3>
        <ul>
          <li>Write it down on paper, and keep it somewhere only you can get to.</li>
          <li>Do not screenshot it into a photo album that is shared or backed up to the cloud.</li>
          <li>Do not email or message it to yourself, and never to a work account.</li>
          <li>Do not keep it on a force device.</li>
        </ul>
        <h3>If you lose it</h3>
        <p>
          You lose the thread: you can no longer read replies or add to that report. Nobody, including us, can recover it. You can still make a new report.
          Anyone who finds the code can read your report and the replies, so guard it like a bank PIN.
        </p>
      </section>

      <section aria-labelledby="records">
        <h2 id="records">What we record, and what we never record</h2>
        <div className="two-lists">
          <div>
            <h3>We keep</h3>
            <ul>
              <li>Your report and messages, sealed so only the reviewers can open them</li>
              <li>The day each one arrived, not the time</li>
              <li>Its status, such as &ldquo;acknowledged&rdquo;</li>
            </ul>
          </div>
          <div>
            <h3>We never record</h3>
            <ul>
              <li>Your IP address</li>
              <li>Your phone, browser or other device details</li>
              <li>Cookies or trackers</li>
              <li>Your receipt code</li>
              <li>Your name, unless you choose to give it</li>
            </ul>
          </div>
        </div>
        <p>
          This site loads nothing from other companies: no adverts, fonts or analytics. Remember that what you write can identify you. A detail only you could
          know may point to you, however safe the site is.
        </p>
      </section>

      <section aria-labelledby="leaving">
        <h2 id="leaving">Leaving in a hurry</h2>
        <p>
          Every page here has a red <strong>Quick exit</strong> button at the top. If someone comes near, tap it. You go straight to an everyday website, such
          as a weather page, and your browser is told to forget what it kept from this site.
        </p>
        <ul>
          <li>
            On a keyboard, pressing <strong>Shift</strong> three times does the same. Esc does not, so it never throws away what you are typing.
          </li>
          <li>The Shift key needs JavaScript. With JavaScript off, such as in Tor Browser&rsquo;s &ldquo;Safest&rdquo;, use the button.</li>
          <li>With JavaScript on, the Back button will not bring the page back. Earlier pages stay in your history unless you use a private window.</li>
        </ul>
      </section>

      <StartActions />
    </>
  )
}
