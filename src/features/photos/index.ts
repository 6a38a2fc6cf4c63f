import { depsOf, type Base } from '../../platform/http.ts'
import { registerPhotoSection } from './preferences.tsx'
import { photoRoutes } from './routes.tsx'

/** Photos: pictures behind the privacy gate, the preferred-picture preference, `ion import photos`. */
export function photosFeature(base: Base) {
  const deps = depsOf(base)
  registerPhotoSection(deps.registries, () => deps)
  return photoRoutes(base)
}
