import type { AppLoadContext as CandourContext } from '../server/http.server'

declare module '@remix-run/node' {
  interface AppLoadContext extends CandourContext {}
}
