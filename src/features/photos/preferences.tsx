import type { Deps } from '../../platform/http.ts'
import { Errors } from '../../platform/html/components.tsx'
import type { Registries } from '../../platform/registry.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { yearLabel } from './image.ts'
import { photosOf, setPreferredPhoto, type PhotoListing } from './photos.sql.ts'
import { pictureUrl } from './serve.ts'

// The preferred-picture section of /preferences (students): "automatic" or one of their photos.
// One partial, two uses: inside the page, and the htmx answer to its own form.

export const loadPhotoChoices = (deps: Deps, v: Viewer) => photosOf(deps.sql, v.id)

/** The choice posted: 'auto' or a photo id. False when it is not one of the viewer's photos. */
export async function choosePhoto(deps: Deps, v: Viewer, choice: string): Promise<boolean> {
  if (choice === 'auto') return setPreferredPhoto(deps.sql, v.id, null)
  if (!/^\d{1,9}$/.test(choice)) return false
  return setPreferredPhoto(deps.sql, v.id, Number(choice))
}

const hx = { 'hx-post': '/preferences/photo', 'hx-target': '#pref-photo', 'hx-swap': 'outerHTML' }

export function PhotoSection({ d, viewerId, errors, saved }: { d: PhotoListing; viewerId: number; errors?: string[]; saved?: string }) {
  const current = d.preferredId
  return (
    <section id="pref-photo" class="card" aria-labelledby="pref-photo-title">
      <h2 id="pref-photo-title">Your picture</h2>
      <Errors errors={errors ?? []} />
      {saved ? <p class="alert ok" role="status" safe>{saved}</p> : ''}
      {d.photos.length === 0 ? (
        <p class="muted">The school has no photo of you yet. Until it does, people see a plain avatar.</p>
      ) : (
        <form method="post" action="/preferences/photo" {...hx} class="stack">
          <fieldset class="photo-choices">
            <legend>The picture on your profile</legend>
            <label class="photo-choice auto">
              <span class="photo-auto" aria-hidden="true">Auto</span>
              <span class="choice-row">
                <input type="radio" name="photo" value="auto" checked={current === null} />
                <span>Automatic (the most recent)</span>
              </span>
            </label>
            {d.photos.map((p) => (
              <label class="photo-choice">
                <img src={pictureUrl(viewerId, p.gradeNumber)} alt="" width="60" height="75" />
                <span class="choice-row">
                  <input type="radio" name="photo" value={String(p.id)} checked={current === p.id} />
                  <span safe>{yearLabel(p.gradeNumber)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <button type="submit">Save picture choice</button>
        </form>
      )}
    </section>
  )
}

export function registerPhotoSection(reg: Registries, getDeps: () => Deps): void {
  reg.preferences.push({
    id: 'photo', title: 'Your picture', order: 20, visible: (v) => v.userType === 'student',
    render: async ({ viewer }) => (<PhotoSection d={await loadPhotoChoices(getDeps(), viewer)} viewerId={viewer.id} />) as string,
  })
}
