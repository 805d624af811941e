// Not a .client module: the hook must exist during server rendering (its effect runs only in the browser).
import { useNavigate } from '@remix-run/react'
import { useEffect } from 'react'
import { withLang } from '#common/i18n/lang-url'
import { useLang } from '~/ui/i18n'
import { whenKeysExpire } from './keyring.client'

/** When the keyring drops expired keys (15 idle minutes, or 8 hours), ask for a passkey again. */
export function useKeyExpiry() {
  const navigate = useNavigate()
  const { lang } = useLang()
  useEffect(() => whenKeysExpire(() => navigate(withLang('/review/sign-in?timed-out=1', lang))), [navigate, lang])
}
