import { BASE_PATH } from '../api/base'

export function NotFound() {
  return (
    <div class="state state-empty">
      <h1 class="state-title">No such page</h1>
      <p>
        This address is not one of the pages. Go to the <a href={`${BASE_PATH}/`}>overview</a>.
      </p>
    </div>
  )
}
