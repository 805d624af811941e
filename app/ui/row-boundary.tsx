import { Component, type ReactNode } from 'react'

/**
 * One row of a list, held apart from the others (ADR 0019). The schemas at opening already keep
 * malformed values from reaching a page; this is the second wall: should a row still throw while
 * it renders, only that row is replaced by its fallback ("could not be read", with its id) and
 * every other row stays. React uses boundaries only in the browser, so the pages rendered on the
 * server (the reporter's thread without JavaScript) rest on the schemas alone.
 */
export class RowBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  state = { failed: false }

  static getDerivedStateFromError() {
    return { failed: true }
  }

  render() {
    return this.state.failed ? this.props.fallback : this.props.children
  }
}
